package org.cifarresnet.report;

import org.cifarresnet.checkpoint.RunDirectory;
import org.cifarresnet.train.TrainingListener;

/**
 * Keeps a run's {@code history.csv} and {@code curves.png} up to date after every epoch, so a
 * user can watch the curves while the run trains. Both are rewritten whole and atomically from the
 * training state, which a checkpoint also holds: after a crash, resume rewrites them consistently.
 */
public final class HistoryRecorder implements TrainingListener {
  private final RunDirectory run;

  public HistoryRecorder(RunDirectory run) {
    this.run = run;
  }

  @Override
  public void onTrainingStart(TrainingStart e) {
    if (!e.state().history().isEmpty()) write(e.state().history());
  }

  @Override
  public void onEpochEnd(EpochEnd e) {
    write(e.state().history());
  }

  private void write(java.util.List<org.cifarresnet.train.EpochStats> history) {
    HistoryCsv.write(run.history(), history);
    CurvesChart.write(history, run.curves());
  }
}
