package org.cifarresnet.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cifarresnet.checkpoint.Checkpoint;
import org.cifarresnet.checkpoint.RunDirectory;
import org.cifarresnet.checkpoint.RunManifest;
import org.cifarresnet.config.Precision;
import org.cifarresnet.data.TinyCifar;
import org.cifarresnet.model.Bf16Check;
import org.cifarresnet.report.HistoryCsv;
import org.cifarresnet.train.EpochProgress;
import org.cifarresnet.train.EpochStats;
import org.cifarresnet.train.StopSignal;
import org.cifarresnet.train.TrainingListener;
import org.cifarresnet.train.TrainingState;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A run stopped mid-epoch and resumed ends exactly as one that was not stopped, for every preset and
 * precision: every variable and optimizer slot, the training state in checkpoint.json and history.csv,
 * bit for bit, apart from the wall-clock columns. The presets keep their optimizer, schedule, label
 * smoothing and augmentation; the options shrink the network, the batch and the run (ResNet8, batch 8,
 * 3 epochs of 5 steps on 40 images) so that each case takes seconds.
 */
class ResumeTest {
  @TempDir static Path dir;
  static Path archive;

  @BeforeAll
  static void writeData() {
    archive = TinyCifar.writeArchive(dir.resolve("cifar.tar.gz"), 8, 16, 5); // 40 images: 5 steps of 8 per epoch
  }

  /** The arguments of a case: a preset, and "bf16" for bf16 mixed precision. */
  private static List<String> trainArgs(String variant, Path out) {
    String preset = variant.equals("bf16") ? "seed" : variant;
    // One engine thread: multi-threaded reductions may differ in the last bits from run to run.
    List<String> args = new ArrayList<>(List.of("--data", archive.toString(), "--out", out.toString(), "--preset", preset,
        "--depth", "8", "--epochs", "3", "--batch-size", "8", "--seed", "11", "--threads", "1"));
    args.addAll(List.of("--precision", variant.equals("bf16") ? "bf16" : "fp32"));
    return args;
  }

  private static Path straight(String variant) {
    Path out = dir.resolve(variant + "-straight");
    if (!Files.exists(out)) {
      List<String> args = new ArrayList<>(List.of("train"));
      args.addAll(trainArgs(variant, out));
      var r = Cli.run(args.toArray(String[]::new));
      assertEquals(0, r.exit(), r.err());
    }
    return out;
  }

  /** Trains with a listener that acts after the given step of the given epoch. */
  private static Cli.Outcome trainWith(String variant, Path out, TrainingListener listener, StopSignal stop) {
    var train = new TrainCommand();
    train.stop = stop;
    train.extraListeners = List.of(listener);
    return Cli.run(train, trainArgs(variant, out).toArray(String[]::new));
  }


  @ParameterizedTest
  @ValueSource(strings = {"keras", "fast", "seed", "bf16"})
  void aRunStoppedMidEpochAndResumedEqualsOneNeverStopped(String variant) throws IOException {
    assumeBf16WorksFor(variant);
    Path stopped = dir.resolve(variant + "-stopped");
    var stop = new StopSignal();
    var first = trainWith(variant, stopped, Cli.atStep(2, 2, stop::request), stop); // mid-epoch 2
    assertEquals(Main.EXIT_STOPPED, first.exit(), first.err());
    assertTrue(first.err().contains("resume " + stopped), first.err());
    assertEquals(1, HistoryCsv.read(new RunDirectory(stopped).history()).size());

    var resume = new ResumeCommand();
    resume.stop = new StopSignal();
    var second = Cli.run(resume, stopped.toString(), "--threads", "1");
    assertEquals(0, second.exit(), second.err());
    assertTrue(second.out().contains("resuming after epoch 1, step 2"), second.out());
    assertSameRun(straight(variant), stopped);
  }

  /** A run that died before its first checkpoint starts over from config.json, and ends as one never stopped. */
  @Test
  void aRunKilledBeforeItsFirstCheckpointStartsOverWithItsOwnSettings() throws IOException {
    Path crashed = dir.resolve("fast-crashed");
    var first = trainWith("fast", crashed, Cli.atStep(1, 3, () -> {
      throw new IllegalStateException("the process dies here");
    }), new StopSignal());
    assertEquals(Main.EXIT_INTERNAL_ERROR, first.exit(), first.err());
    RunDirectory run = new RunDirectory(crashed);
    assertFalse(run.hasCheckpoint());
    try (var files = Files.list(crashed)) { // the crash report is not part of the run
      for (Path f : files.filter(f -> f.getFileName().toString().startsWith("internal-error-")).toList()) Files.delete(f);
    }

    var resumed = Cli.run(new ResumeCommand(), crashed.toString(), "--threads", "1");
    assertEquals(0, resumed.exit(), resumed.err());
    List<String> said = resumed.out().lines().filter(l -> l.startsWith("no checkpoint yet")).toList();
    assertEquals(1, said.size(), resumed.out());
    assertTrue(said.get(0).contains("starting the run over from " + run.config() + " with the same settings"), said.get(0));
    assertEquals(RunManifest.read(new RunDirectory(straight("fast")).config()).config(), RunManifest.read(run.config()).config());
    assertSameRun(straight("fast"), crashed);
  }

  /** The bf16 case above is a bf16 run: its settings say so, and its weights are not the fp32 run's. */
  @Test
  void theBf16RunComputesInBf16() {
    assumeBf16WorksFor("bf16");
    Checkpoint bf16 = Checkpoint.load(new RunDirectory(straight("bf16")).last());
    Checkpoint fp32 = Checkpoint.load(new RunDirectory(straight("seed")).last());
    assertEquals(Precision.BF16, bf16.info().config().training().precision());
    assertEquals(Precision.BF16, bf16.info().provenance().precision());
    assertEquals(Precision.FP32, fp32.info().provenance().precision());
    // Same seed, data and steps: only the arithmetic differs (MixedPrecisionTest shows the bf16 kernels).
    assertNotEquals(Arrays.toString(fp32.arrays().get("conv2d.kernel").data()),
        Arrays.toString(bf16.arrays().get("conv2d.kernel").data()));
  }

  @Test
  void resumingWithMoreEpochsTrainsOnAndRecordsTheNewCount() throws IOException {
    Path run = dir.resolve("more");
    var copy = Cli.run(new TrainCommand(), trainArgs("keras", run).toArray(String[]::new));
    assertEquals(0, copy.exit(), copy.err());
    var done = Cli.run("resume", run.toString());
    assertEquals(0, done.exit(), done.err());
    assertTrue(done.out().contains("finished its 3 epochs"), done.out());

    var more = Cli.run("resume", run.toString(), "--epochs", "4", "--threads", "1");
    assertEquals(0, more.exit(), more.err());
    assertEquals(4, HistoryCsv.read(new RunDirectory(run).history()).size());
    assertEquals(4, RunManifest.read(new RunDirectory(run).config()).config().training().epochs());
  }

  /**
   * A run begun with auto goes on in what auto chose when it began, whatever auto would choose on the
   * machine it resumes on; {@code --precision} changes that, and config.json and the checkpoint say so.
   */
  @Test
  void aResumedRunKeepsItsPrecisionUnlessToldOtherwise() {
    Path out = dir.resolve("auto");
    List<String> args = new ArrayList<>(List.of("train"));
    args.addAll(trainArgs("keras", out));
    args.set(args.indexOf("--precision") + 1, "auto");
    args.set(args.indexOf("--epochs") + 1, "1");
    var first = Cli.run(args.toArray(String[]::new));
    assertEquals(0, first.exit(), first.err());
    RunDirectory run = new RunDirectory(out);
    assertEquals(Precision.AUTO, RunManifest.read(run.config()).config().training().precision());
    Precision chosen = RunManifest.read(run.config()).provenance().precision();
    assertNotEquals(Precision.AUTO, chosen);

    var kept = Cli.run("resume", out.toString(), "--epochs", "2", "--threads", "1");
    assertEquals(0, kept.exit(), kept.err());
    assertEquals(chosen, RunManifest.read(run.config()).config().training().precision());
    assertEquals(chosen, Checkpoint.load(run.last()).info().provenance().precision());

    var fp32 = Cli.run("resume", out.toString(), "--epochs", "3", "--threads", "1", "--precision", "fp32");
    assertEquals(0, fp32.exit(), fp32.err());
    assertEquals(Precision.FP32, RunManifest.read(run.config()).config().training().precision());
    assertEquals(Precision.FP32, Checkpoint.load(run.last()).info().config().training().precision());
    assertEquals(3, HistoryCsv.read(run.history()).size());

    var wrong = Cli.run("resume", out.toString(), "--precision", "fp16");
    assertEquals(2, wrong.exit(), wrong.err());
    assertTrue(wrong.err().contains("--precision must be fp32, bf16 or auto, got 'fp16'"), wrong.err());
  }

  /** The bf16 cases need bf16 to compute right here; where it does not, MixedPrecisionTest shows it is refused. */
  private static void assumeBf16WorksFor(String variant) {
    if (variant.equals("bf16")) {
      assumeTrue(Bf16Check.result().passed(), "bf16 is refused on this machine: " + Bf16Check.result().detail());
    }
  }

  /**
   * The two runs are the same, bit for bit: every array of both checkpoints (weights, batch-norm
   * statistics, the optimizer's slots and step count), the training state and history.csv, except
   * what measures wall-clock time (seconds, images per second, when it was saved).
   */
  static void assertSameRun(Path expectedRun, Path actualRun) throws IOException {
    RunDirectory expected = new RunDirectory(expectedRun);
    RunDirectory actual = new RunDirectory(actualRun);
    for (boolean last : new boolean[] {true, false}) {
      Checkpoint a = Checkpoint.load(last ? expected.last() : expected.best());
      Checkpoint b = Checkpoint.load(last ? actual.last() : actual.best());
      assertEquals(a.arrays().keySet(), b.arrays().keySet());
      for (String name : a.arrays().keySet()) {
        assertArrayEquals(a.arrays().get(name).shape(), b.arrays().get(name).shape(), name);
        assertArrayEquals(bits(a.arrays().get(name).data()), bits(b.arrays().get(name).data()), name);
      }
      assertEquals(a.info().config(), b.info().config());
      assertEquals(withoutClock(a.info().state()), withoutClock(b.info().state()));
    }
    assertTrue(Checkpoint.load(actual.last()).hasOptimizerState());
    assertEquals(withoutClock(Files.readAllLines(expected.history())), withoutClock(Files.readAllLines(actual.history())));
  }

  private static int[] bits(float[] values) {
    int[] bits = new int[values.length];
    for (int i = 0; i < values.length; i++) bits[i] = Float.floatToRawIntBits(values[i]);
    return bits;
  }

  private static TrainingState withoutClock(TrainingState s) {
    List<EpochStats> rows = s.history().stream()
        .map(r -> new EpochStats(r.epoch(), r.lr(), r.loss(), r.acc(), r.valLoss(), r.valAcc(), 0, 0)).toList();
    EpochProgress p = s.partial();
    var partial = new EpochProgress(p.batchesDone(), p.lossSum(), p.correct(), p.seen(), 0, 0);
    return new TrainingState(s.epochsDone(), partial, s.bestValAcc(), s.bestEpoch(), rows);
  }

  /** history.csv without its last two columns, seconds and images_per_s. */
  private static List<String> withoutClock(List<String> csv) {
    return csv.stream().map(l -> l.substring(0, l.lastIndexOf(',', l.lastIndexOf(',') - 1))).toList();
  }
}
