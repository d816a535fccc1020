package org.cifarresnet.report;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import org.cifarresnet.checkpoint.RunDirectory;
import org.cifarresnet.checkpoint.RunManifest;
import org.cifarresnet.data.Split;
import org.cifarresnet.eval.Evaluation;
import org.cifarresnet.train.TrainingListener;
import org.cifarresnet.train.TrainingState;
import org.cifarresnet.util.AtomicFiles;
import org.cifarresnet.util.UserError;

/**
 * Rewrites the run's {@code report.html} when training starts and after every epoch, so a browser that
 * keeps the page open (it reloads itself) follows the run. ({@link HistoryRecorder} keeps curves.png.)
 *
 * <p>The test-set sections show the best epoch's model, as {@code checkpoints/best.npz} holds it, so that
 * the page train leaves behind is the one {@code report} makes from that checkpoint. The epoch's
 * evaluation already carries every test image's probabilities: nothing is computed twice. Rendering
 * costs 0.2 to 0.45 s per epoch on 10,000 test images, on 2 busy cores (see ReportListenerTest), against
 * a minute or more of training.
 *
 * <p>A report that cannot be written (a full disk) is a warning, not a reason to stop hours of training;
 * the checkpoints, which matter, report their own failures.
 */
public final class ReportListener implements TrainingListener {
  private final RunDirectory run;
  private final Split testImages;
  private final PrintWriter warnings;
  private RunManifest manifest;
  private int epochsPlanned;
  private long sampleSeed;
  private Evaluation bestEvaluation;
  private int bestEpoch;
  private boolean warned;

  /**
   * @param run where the run writes its files; config.json there gives the page its settings
   * @param testImages the test set the trainer evaluates on, in the same order
   * @param warnings where a page that cannot be written is reported, once
   */
  public ReportListener(RunDirectory run, Split testImages, PrintWriter warnings) {
    this.run = run;
    this.testImages = testImages;
    this.warnings = warnings;
  }

  /** The page's path in the run directory. */
  public static Path file(RunDirectory run) {
    return run.root().resolve(HtmlReport.FILE_NAME);
  }

  @Override
  public void onTrainingStart(TrainingStart e) {
    epochsPlanned = e.config().training().epochs();
    sampleSeed = e.config().training().seed();
    // Read once: config.json is written before training starts and does not change during it.
    manifest = Files.isRegularFile(run.config()) ? readManifest() : null;
    write(e.state(), null, "The test-set results appear here after the first epoch of this session.", true);
  }

  @Override
  public void onEpochEnd(EpochEnd e) {
    int epoch = e.stats().epoch();
    if (e.best()) {
      bestEvaluation = e.evaluation();
      bestEpoch = epoch;
    }
    ReportData.TestView view;
    if (bestEvaluation != null && bestEpoch == e.state().bestEpoch()) {
      String which = bestEpoch == epoch ? "the model after epoch " + epoch + ", the best so far"
          : "the best model so far, after epoch " + bestEpoch;
      view = new ReportData.TestView(bestEvaluation, testImages, capitalise(which), sampleSeed);
    } else {
      // Resumed, and the best epoch was before the resume: its evaluation is in no memory, show the latest.
      view = new ReportData.TestView(e.evaluation(), testImages,
          "The model after epoch " + epoch + " (the best, epoch " + e.state().bestEpoch() + ", was before the resume)", sampleSeed);
    }
    write(e.state(), view, null, true);
  }

  @Override
  public void onStop(TrainingState state) {
    // Stopped mid-epoch: the page should no longer reload itself as if training went on.
    ReportData.TestView view = bestEvaluation == null ? null
        : new ReportData.TestView(bestEvaluation, testImages, "The best model, after epoch " + bestEpoch, sampleSeed);
    write(state, view, "Stopped before an epoch finished in this session.", false);
  }

  /** Renders and writes the page; returns the seconds it took (0 if it failed and only warned). */
  double write(TrainingState state, ReportData.TestView view, String note, boolean live) {
    long began = System.nanoTime();
    try {
      var data = new ReportData(run.root().toAbsolutePath().normalize().getFileName().toString(), state.history(), manifest, view,
          note, Math.max(epochsPlanned, 1), live, OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS));
      AtomicFiles.writeString(file(run), HtmlReport.render(data));
      return (System.nanoTime() - began) / 1e9;
    } catch (UserError ex) { // the write failed (a full or read-only disk); a rendering bug goes on up
      if (!warned) {
        warnings.println("warning: " + ex.getMessage() + "; training goes on without updating the report");
        warnings.flush();
        warned = true;
      }
      return 0;
    }
  }

  private RunManifest readManifest() {
    try {
      return RunManifest.read(run.config());
    } catch (UserError ex) {
      warnings.println("warning: " + ex.getMessage() + "; the report shows no settings");
      warnings.flush();
      return null;
    }
  }

  private static String capitalise(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
