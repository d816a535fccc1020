package org.cifarresnet.report;

import java.io.PrintStream;
import java.util.List;
import org.cifarresnet.checkpoint.RunDirectory;
import org.cifarresnet.train.EpochStats;
import org.cifarresnet.train.TrainingListener;
import org.cifarresnet.util.UserError;

/**
 * Keeps a run's {@code history.csv} and {@code curves.png} up to date after every epoch, so a
 * user can watch the curves while the run trains. Both are rewritten whole and atomically from the
 * training state, which a checkpoint also holds: after a crash, resume rewrites them consistently.
 * A failed write is a warning, not the end of the run: on Windows a spreadsheet showing
 * history.csv keeps it from being replaced, and the next epoch (or resume) writes both again.
 */
public final class HistoryRecorder implements TrainingListener {
  private final RunDirectory run;
  private final PrintStream warnings;
  private boolean warned;

  public HistoryRecorder(RunDirectory run) {
    this(run, System.err);
  }

  HistoryRecorder(RunDirectory run, PrintStream warnings) {
    this.run = run;
    this.warnings = warnings;
  }

  @Override
  public void onTrainingStart(TrainingStart e) {
    if (!e.state().history().isEmpty()) write(e.state().history());
  }

  @Override
  public void onEpochEnd(EpochEnd e) {
    write(e.state().history());
  }

  private void write(List<EpochStats> history) {
    try {
      HistoryCsv.write(run.history(), history);
      CurvesChart.write(history, run.curves());
    } catch (UserError e) {
      if (!warned) { // once: the same cause would repeat every epoch
        warnings.println("warning: " + e.getMessage() + "; training goes on, and the next epoch writes it again");
        warned = true;
      }
    }
  }
}
