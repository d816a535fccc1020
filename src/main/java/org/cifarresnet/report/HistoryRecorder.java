package org.cifarresnet.report;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cifarresnet.checkpoint.RunDirectory;
import org.cifarresnet.train.EpochStats;
import org.cifarresnet.train.TrainingListener;
import org.cifarresnet.util.AtomicFiles;
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
  private final PrintWriter warnings;
  private boolean warned;

  /** @param warnings where a failed write is reported: the command's error writer */
  public HistoryRecorder(RunDirectory run, PrintWriter warnings) {
    this.run = run;
    this.warnings = warnings;
  }

  /**
   * Makes the files match where training starts. A run killed between writing an epoch's history and
   * its checkpoint has a row the checkpoint does not cover: that epoch is trained again, and its row
   * must not appear twice. Starting from no finished epoch, there is no history yet.
   */
  @Override
  public void onTrainingStart(TrainingStart e) {
    if (!e.state().history().isEmpty()) {
      write(e.state().history());
      return;
    }
    for (Path stale : List.of(run.history(), run.curves())) {
      try {
        Files.deleteIfExists(stale);
      } catch (IOException ex) {
        throw AtomicFiles.cannotWrite(stale, ex);
      }
    }
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
        warnings.flush();
        warned = true;
      }
    }
  }
}
