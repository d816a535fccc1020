package org.cifarresnet.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.cifarresnet.checkpoint.Checkpoint;
import org.cifarresnet.checkpoint.RunDirectory;
import org.cifarresnet.data.TinyCifar;
import org.cifarresnet.report.HistoryCsv;
import org.cifarresnet.train.EpochStats;
import org.cifarresnet.train.StopSignal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --ema}: the test set sees the weight average, the best checkpoint keeps it (so evaluate
 * reproduces the history), and a run stopped mid-epoch resumes to the same average and weights.
 */
class WeightAverageRunTest {
  @TempDir Path dir;

  private static String[] args(Path archive, Path out) {
    return new String[] {"--data", archive.toString(), "--out", out.toString(), "--preset", "fast", "--epochs", "3",
        "--batch-size", "16", "--seed", "4", "--threads", "1", "--ema", "0.8"};
  }

  @Test
  void stoppedAndResumedEqualsUninterruptedAndEvaluateReproducesTheBest() {
    Path archive = TinyCifar.writeArchive(dir.resolve("cifar.tar.gz"), 8, 16, 5); // 40 images: 3 steps per epoch
    Path straight = dir.resolve("straight");
    var r = Cli.run(new TrainCommand(), args(archive, straight));
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("weight average 0.8"), r.out());

    Path stopped = dir.resolve("stopped");
    var train = new TrainCommand();
    train.stop = new StopSignal();
    train.extraListeners = List.of(Cli.atStep(2, 1, train.stop::request));
    assertEquals(Main.EXIT_STOPPED, Cli.run(train, args(archive, stopped)).exit());
    var resume = new ResumeCommand();
    resume.stop = new StopSignal();
    var second = Cli.run(resume, stopped.toString(), "--threads", "1");
    assertEquals(0, second.exit(), second.err());

    Checkpoint a = Checkpoint.load(new RunDirectory(straight).last());
    Checkpoint b = Checkpoint.load(new RunDirectory(stopped).last());
    assertEquals(a.arrays().keySet(), b.arrays().keySet());
    assertTrue(a.arrays().keySet().contains("optimizer.average.conv2d.kernel"), "the average is resumable state");
    for (String name : a.arrays().keySet()) {
      assertArrayEquals(a.arrays().get(name).data(), b.arrays().get(name).data(), name);
    }

    // best.npz holds the average: evaluate finds the accuracy history.csv shows for the best epoch.
    List<EpochStats> history = HistoryCsv.read(new RunDirectory(straight).history());
    EpochStats best = history.stream().filter(h -> h.valAcc() == history.stream().mapToDouble(EpochStats::valAcc).max()
        .orElseThrow()).findFirst().orElseThrow();
    var eval = Cli.run("evaluate", straight.toString());
    assertEquals(0, eval.exit(), eval.err());
    // The loss pins the weights down far better than an accuracy over 32 images.
    assertTrue(eval.out().contains(String.format(Locale.ROOT, "test loss %.4f  accuracy %.4f", best.valLoss(), best.valAcc())),
        eval.out() + " against " + best);
    Checkpoint bestCheckpoint = Checkpoint.load(new RunDirectory(straight).best());
    assertTrue(bestCheckpoint.arrays().keySet().stream().noneMatch(n -> n.startsWith("optimizer.")));
  }

  @Test
  void recordTtaAndTheAverageAddColumnsThatEvaluateReproduces() throws Exception {
    Path archive = TinyCifar.writeArchive(dir.resolve("cifar.tar.gz"), 8, 16, 5);
    Path out = dir.resolve("both");
    String[] base = args(archive, out);
    String[] withTta = java.util.Arrays.copyOf(base, base.length + 2);
    withTta[base.length] = "--record-tta";
    withTta[base.length + 1] = "--record-no-ema";
    var r = Cli.run(new TrainCommand(), withTta);
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("val_acc_tta") && r.out().contains("val_acc_no_ema"), r.out());
    String header = java.nio.file.Files.readAllLines(new RunDirectory(out).history()).get(0);
    assertEquals(HistoryCsv.HEADER + ",val_acc_tta,val_acc_no_ema", header);

    List<EpochStats> history = HistoryCsv.read(new RunDirectory(out).history());
    assertEquals(3, history.size());
    for (EpochStats h : history) {
      assertTrue(h.valAccTta() != null && h.valAccTta() >= 0 && h.valAccTta() <= 1, h.toString());
      assertTrue(h.valAccNoEma() != null && h.valAccNoEma() >= 0 && h.valAccNoEma() <= 1, h.toString());
    }
    // best.npz keeps the average: evaluate --tta finds both of its epoch's figures.
    double top = history.stream().mapToDouble(EpochStats::valAcc).max().orElseThrow();
    EpochStats best = history.stream().filter(h -> h.valAcc() == top).findFirst().orElseThrow();
    var tta = Cli.run("evaluate", out.toString(), "--tta");
    assertEquals(0, tta.exit(), tta.err());
    assertTrue(tta.out().contains(String.format(Locale.ROOT, "plain view: test loss %.4f  accuracy %.4f", best.valLoss(),
        best.valAcc())), tta.out() + " against " + best);
    assertTrue(tta.out().contains(String.format(Locale.ROOT, "with --tta (plain and mirrored views averaged, below):"
        + " accuracy %.4f", best.valAccTta())), tta.out() + " against " + best);
    // last.npz's weights are those as trained, which val_acc_no_ema measured.
    EpochStats last = history.get(2);
    var raw = Cli.run("evaluate", new RunDirectory(out).last().toString());
    assertEquals(0, raw.exit(), raw.err());
    assertTrue(raw.out().contains(String.format(Locale.ROOT, "accuracy %.4f", last.valAccNoEma())), raw.out() + " against " + last);
  }

  @Test
  void withoutRecordNoEmaTheAverageCostsNoExtraPassAndTheColumnIsAbsent() throws Exception {
    Path archive = TinyCifar.writeArchive(dir.resolve("cifar.tar.gz"), 8, 16, 5);
    Path out = dir.resolve("plain");
    var r = Cli.run(new TrainCommand(), args(archive, out));
    assertEquals(0, r.exit(), r.err());
    assertEquals(HistoryCsv.HEADER, java.nio.file.Files.readAllLines(new RunDirectory(out).history()).get(0));
  }

  @Test
  void recordNoEmaWithoutAnAverageIsBadUsage() {
    var r = Cli.run("train", "--record-no-ema", "--data", dir.resolve("none.tar.gz").toString());
    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().contains("--record-no-ema needs --ema"), r.err());
  }

  @Test
  void aDecayOutOfRangeIsBadUsage() {
    var r = Cli.run("train", "--ema", "1.5", "--data", dir.resolve("none.tar.gz").toString());
    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().contains("ema"), r.err());
  }
}
