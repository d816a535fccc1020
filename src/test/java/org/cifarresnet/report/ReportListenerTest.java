package org.cifarresnet.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.cifarresnet.checkpoint.RunDirectory;
import org.cifarresnet.config.Presets;
import org.cifarresnet.data.Split;
import org.cifarresnet.eval.Evaluation;
import org.cifarresnet.train.EpochStats;
import org.cifarresnet.train.TrainingListener;
import org.cifarresnet.train.TrainingState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportListenerTest {
  @TempDir Path dir;

  /** Drives the listener through a run's events, as the trainer would, without training. */
  private static final class Driver {
    final ReportListener listener;
    final Split images;
    TrainingState state = TrainingState.start();

    Driver(RunDirectory run, int testImages, PrintWriter warnings) {
      images = ReportFixtures.images(testImages, 9);
      listener = new ReportListener(run, images, warnings);
      var config = Presets.byName("seed"); // 50 epochs
      listener.onTrainingStart(new TrainingListener.TrainingStart(config, 273_066, 274_442, 50_000, testImages, state));
    }

    TrainingListener.EpochEnd epoch(double accuracy) {
      int epoch = state.epochsDone() + 1;
      Evaluation e = ReportFixtures.evaluation(images, ReportFixtures.CLASSES, accuracy, epoch);
      var stats = new EpochStats(epoch, 1e-3, 1.5, accuracy, 1.6, e.accuracy(), 80, 650);
      boolean best = state.improvesOnBest(stats);
      state = state.finish(stats);
      return new TrainingListener.EpochEnd(stats, e, 0.95, state, best);
    }
  }

  @Test
  void writesThePageWhenTrainingStartsAndAfterEveryEpoch() throws Exception {
    RunDirectory run = new RunDirectory(dir);
    ReportFixtures.manifest().write(run.config());
    Driver d = new Driver(run, 200, new PrintWriter(new StringWriter()));
    Path page = ReportListener.file(run);
    String first = Files.readString(page);
    assertTrue(first.contains("<progress value=\"0\" max=\"50\">"), "a page as soon as training starts");
    assertTrue(first.contains("after the first epoch"));

    d.listener.onEpochEnd(d.epoch(0.5));
    String second = Files.readString(page);
    assertTrue(second.contains("<progress value=\"1\" max=\"50\">"));
    assertTrue(second.contains("The model after epoch 1, the best so far"));
    assertTrue(second.contains("Test CPU"), "settings from config.json");
    assertTrue(second.contains("http-equiv=\"refresh\""), "reloads itself while training");

    d.listener.onEpochEnd(d.epoch(0.8));
    d.listener.onEpochEnd(d.epoch(0.3));
    String fourth = Files.readString(page);
    assertTrue(fourth.contains("The best model so far, after epoch 2"), "the best epoch's model, as best.npz holds it");
    try (var files = Files.list(dir)) {
      assertEquals(List.of("config.json", "report.html"), files.map(p -> p.getFileName().toString()).sorted().toList(),
          "no temporary file is left");
    }

    d.listener.onStop(d.state);
    assertFalse(Files.readString(page).contains("http-equiv=\"refresh\""), "a stopped run's page stops reloading");
  }

  @Test
  void aFailedWriteWarnsOnceAndTrainingGoesOn() throws Exception {
    Path blocker = dir.resolve("file");
    Files.writeString(blocker, "not a directory");
    var err = new StringWriter();
    // The run directory is below a file, so nothing can be written there.
    Driver d = new Driver(new RunDirectory(blocker.resolve("run")), 50, new PrintWriter(err, true));
    d.listener.onEpochEnd(d.epoch(0.5));
    d.listener.onEpochEnd(d.epoch(0.6));
    String warnings = err.toString();
    assertEquals(1, warnings.strip().split("\n").length, warnings);
    assertTrue(warnings.startsWith("warning: ") && warnings.contains("training goes on"), warnings);
  }

  /**
   * A page at the real test set's size, 10,000 images after 195 epochs, is whole. How long it takes is
   * printed, not asserted (a busy machine must not fail the suite): 0.22 to 0.45 s per epoch (median of
   * 5) on the workplace's 2-core Xeon while a training run used both cores.
   */
  @Test
  void aPageOnTenThousandImagesAfter195EpochsIsWhole() throws Exception {
    RunDirectory run = new RunDirectory(dir);
    ReportFixtures.manifest().write(run.config());
    Driver d = new Driver(run, 10_000, new PrintWriter(new StringWriter()));
    for (int i = 0; i < 195; i++) d.state = d.state.finish(new EpochStats(i + 1, 1e-3, 1, 0.5, 1, 0.5, 80, 650));
    double[] seconds = new double[5];
    for (int i = 0; i < seconds.length; i++) {
      var end = d.epoch(0.5 + i * 0.05);
      long began = System.nanoTime();
      d.listener.onEpochEnd(end);
      seconds[i] = (System.nanoTime() - began) / 1e9;
    }
    Arrays.sort(seconds);
    System.out.printf("report.html per epoch, 10,000 test images, %d epochs: median %.3f s (min %.3f, max %.3f)%n",
        d.state.epochsDone(), seconds[2], seconds[0], seconds[4]);
    String page = Files.readString(ReportListener.file(run));
    assertTrue(page.strip().endsWith("</html>"), "the page is whole");
    assertTrue(page.contains("<summary>200 epochs"), "the history table holds all 200 epochs");
    assertTrue(page.contains("<table class=\"confusion\">"), "the confusion matrix of 10,000 images");
  }

}
