package org.cifarresnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.cifarresnet.checkpoint.RunDirectory;
import org.cifarresnet.data.TinyCifar;
import org.cifarresnet.report.HistoryCsv;
import org.cifarresnet.tensorboard.EventFiles;
import org.cifarresnet.tensorboard.TensorBoardListener;
import org.cifarresnet.train.EpochStats;
import org.cifarresnet.train.StopSignal;
import org.cifarresnet.train.TrainingListener;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;

/**
 * A run's TensorBoard files, read back through their TFRecord framing (both CRC32Cs checked) and TF Java's
 * Event protos: Keras' layout, every epoch's figures as history.csv has them, and after a stop and a resume,
 * or a simulated kill, every step once.
 */
class TensorBoardTest {
  private static final Set<String> TRAIN_EPOCH_TAGS =
      Set.of("epoch_loss", "epoch_accuracy", "epoch_learning_rate", "epoch_images_per_second");
  private static final Set<String> BATCH_TAGS = Set.of("batch_loss", "batch_accuracy");
  private static final Set<String> VALIDATION_TAGS = Set.of("epoch_loss", "epoch_accuracy");

  @TempDir static Path dir;
  static Path archive;

  @BeforeAll
  static void writeData() {
    archive = TinyCifar.writeArchive(dir.resolve("cifar.tar.gz"), 8, 16, 5); // 40 images: 3 steps of 16 per epoch
  }

  /** Every value of every tag in one folder of a run's event files: tag -> step -> values, files in name order. */
  private static Map<String, Map<Long, List<Float>>> scalars(Path run, String folder) throws Exception {
    Map<String, Map<Long, List<Float>>> byTag = new TreeMap<>();
    List<Path> files = EventFiles.in(TensorBoardListener.dir(new RunDirectory(run)).resolve(folder));
    assertTrue(!files.isEmpty(), "event files in " + folder);
    for (Path file : files) {
      EventFiles.Contents contents = EventFiles.read(file);
      assertNull(contents.damage(), "every record's length and data checksums match");
      assertEquals("brain.Event:2", contents.events().get(0).getFileVersion(), file.toString());
      for (Event e : contents.events()) {
        for (Summary.Value v : e.getSummary().getValueList()) {
          byTag.computeIfAbsent(v.getTag(), t -> new TreeMap<>()).computeIfAbsent(e.getStep(), s -> new ArrayList<>())
              .add(v.getSimpleValue());
        }
      }
    }
    return byTag;
  }

  private static String[] trainArgs(Path out, int epochs, int logEvery) {
    // One engine thread: the same seed then gives the same figures, so a resumed run's steps can be compared.
    return new String[] {"--data", archive.toString(), "--out", out.toString(), "--preset", "keras",
        "--epochs", Integer.toString(epochs), "--batch-size", "16", "--seed", "11", "--threads", "1",
        "--log-every", Integer.toString(logEvery)};
  }

  /** Records the running mean loss and accuracy at every global step, as Keras' batch logs hold them. */
  private static final class BatchFigures implements TrainingListener {
    final Map<Long, float[]> byStep = new TreeMap<>();

    @Override
    public void onBatchEnd(BatchEnd e) {
      long step = (long) (e.epoch() - 1) * e.batches() + e.progress().batchesDone();
      byStep.put(step, new float[] {(float) e.progress().meanLoss(), (float) e.progress().accuracy()});
    }
  }

  /** Each step of each tag holds exactly one value, and the epoch steps are 0 .. epochs-1. */
  private static void assertOncePerStep(Map<String, Map<Long, List<Float>>> byTag, Set<String> epochTags, int epochs) {
    for (var tag : byTag.entrySet()) {
      tag.getValue().forEach((step, values) ->
          assertEquals(1, values.size(), tag.getKey() + " at step " + step + " written " + values.size() + " times"));
    }
    for (String tag : epochTags) {
      assertEquals(range(0, epochs - 1), List.copyOf(byTag.get(tag).keySet()), tag + " steps are the 0-based epochs");
    }
  }

  private static List<Long> range(long first, long last) {
    List<Long> steps = new ArrayList<>();
    for (long s = first; s <= last; s++) steps.add(s);
    return steps;
  }

  /** The epoch scalars against history.csv, to the precision the CSV keeps (6 decimals; images/s 1). */
  private static void assertMatchesHistory(Path run, Map<String, Map<Long, List<Float>>> train,
      Map<String, Map<Long, List<Float>>> validation, boolean withSpeed) {
    List<EpochStats> history = HistoryCsv.read(new RunDirectory(run).history());
    for (EpochStats row : history) {
      long step = row.epoch() - 1;
      assertEquals(row.loss(), value(train, "epoch_loss", step), 1e-6, "loss, epoch " + row.epoch());
      assertEquals(row.acc(), value(train, "epoch_accuracy", step), 1e-6, "accuracy, epoch " + row.epoch());
      assertEquals((float) row.lr(), value(train, "epoch_learning_rate", step), "learning rate, epoch " + row.epoch());
      if (withSpeed) {
        assertEquals(row.imagesPerSecond(), value(train, "epoch_images_per_second", step), 0.05 + 1e-3,
            "images/s, epoch " + row.epoch());
      }
      assertEquals(row.valLoss(), value(validation, "epoch_loss", step), 1e-6, "val_loss, epoch " + row.epoch());
      assertEquals(row.valAcc(), value(validation, "epoch_accuracy", step), 1e-6, "val_acc, epoch " + row.epoch());
    }
  }

  private static float value(Map<String, Map<Long, List<Float>>> byTag, String tag, long step) {
    return byTag.get(tag).get(step).get(0);
  }

  private static void assertBatchFigures(Map<String, Map<Long, List<Float>>> train, Map<Long, float[]> expected, int every) {
    List<Long> steps = expected.keySet().stream().filter(s -> s % every == 0).toList();
    assertEquals(steps, List.copyOf(train.get("batch_loss").keySet()), "batch_loss every " + every + " steps");
    assertEquals(steps, List.copyOf(train.get("batch_accuracy").keySet()));
    for (long s : steps) {
      assertEquals(expected.get(s)[0], value(train, "batch_loss", s), "batch_loss at step " + s);
      assertEquals(expected.get(s)[1], value(train, "batch_accuracy", s), "batch_accuracy at step " + s);
    }
  }

  @Test
  void aRunWritesKerasLayoutWithHistoryFigures() throws Exception {
    Path out = dir.resolve("plain");
    var train = new TrainCommand();
    var figures = new BatchFigures();
    train.extraListeners = List.of(figures);
    var r = Cli.run(train, trainArgs(out, 2, 2));
    assertEquals(0, r.exit(), r.err());
    assertEquals("", r.err(), "no warnings");

    var trainScalars = scalars(out, TensorBoardListener.TRAIN);
    var validation = scalars(out, TensorBoardListener.VALIDATION);
    assertEquals(1, EventFiles.in(out.resolve("tensorboard/train")).size(), "one event file per folder and session");
    assertEquals(union(TRAIN_EPOCH_TAGS, BATCH_TAGS), trainScalars.keySet());
    assertEquals(VALIDATION_TAGS, validation.keySet());
    assertOncePerStep(trainScalars, TRAIN_EPOCH_TAGS, 2);
    assertOncePerStep(validation, VALIDATION_TAGS, 2);
    assertMatchesHistory(out, trainScalars, validation, true);
    assertBatchFigures(trainScalars, figures.byStep, 2); // steps 2, 4, 6 of 6
    // The last step's running mean is the epoch's: batch and epoch curves meet at each epoch's end.
    assertEquals(value(trainScalars, "epoch_loss", 1), value(trainScalars, "batch_loss", 6L), 1e-6);
  }

  @Test
  void aStoppedAndResumedRunContinuesTheCurvesWithoutDuplicateSteps() throws Exception {
    Path out = dir.resolve("stopped");
    var train = new TrainCommand();
    train.stop = new StopSignal();
    var figures = new BatchFigures();
    train.extraListeners = List.of(figures, Cli.atStep(2, 2, train.stop::request)); // mid-epoch 2
    var first = Cli.run(train, trainArgs(out, 3, 1));
    assertEquals(Main.EXIT_STOPPED, first.exit(), first.err());
    assertEquals(List.of(0L), List.copyOf(scalars(out, TensorBoardListener.VALIDATION).get("epoch_loss").keySet()));

    var resume = new ResumeCommand();
    resume.stop = new StopSignal();
    resume.extraListeners = List.of(figures); // the resumed run keeps --log-every 1: resume has no such option
    var second = Cli.run(resume, out.toString(), "--threads", "1");
    assertEquals(0, second.exit(), second.err());

    assertEquals(2, EventFiles.in(out.resolve("tensorboard/train")).size(), "a new event file per session");
    var trainScalars = scalars(out, TensorBoardListener.TRAIN);
    var validation = scalars(out, TensorBoardListener.VALIDATION);
    assertOncePerStep(trainScalars, TRAIN_EPOCH_TAGS, 3);
    assertOncePerStep(validation, VALIDATION_TAGS, 3);
    assertMatchesHistory(out, trainScalars, validation, true);
    assertEquals(range(1, 9), List.copyOf(figures.byStep.keySet()), "both sessions' steps: 3 epochs of 3");
    assertBatchFigures(trainScalars, figures.byStep, 1);
  }

  /**
   * A kill can leave event files ahead of the checkpoint (per-step events written after it) or behind it (a
   * kill between an epoch's checkpoint and its events). Here: a finished run is set back to its epoch-1
   * checkpoint, and its validation events are lost. Resume retrains epoch 2 without writing its train steps
   * again, and writes the validation epochs anew, the first from the checkpoint's history.
   */
  @Test
  void resumeFillsGapsAndSkipsStepsAlreadyOnDisk() throws Exception {
    Path out = dir.resolve("killed");
    Path epochOne = dir.resolve("epoch1-last.npz");
    RunDirectory run = new RunDirectory(out);
    var train = new TrainCommand();
    var firstFigures = new BatchFigures();
    train.extraListeners = List.of(firstFigures, new TrainingListener() {
      @Override
      public void onEpochEnd(EpochEnd e) {
        try {
          if (e.stats().epoch() == 1) Files.copy(run.last(), epochOne); // saved before this listener runs
        } catch (IOException ex) {
          throw new UncheckedIOException(ex);
        }
      }
    });
    assertEquals(0, Cli.run(train, trainArgs(out, 2, 1)).exit());
    List<EpochStats> straight = HistoryCsv.read(run.history());
    Files.copy(epochOne, run.last(), StandardCopyOption.REPLACE_EXISTING);
    for (Path f : EventFiles.in(out.resolve("tensorboard/validation"))) Files.delete(f);

    var resume = new ResumeCommand();
    resume.stop = new StopSignal();
    var second = Cli.run(resume, out.toString(), "--threads", "1");
    assertEquals(0, second.exit(), second.err());

    var trainScalars = scalars(out, TensorBoardListener.TRAIN);
    var validation = scalars(out, TensorBoardListener.VALIDATION);
    assertOncePerStep(trainScalars, TRAIN_EPOCH_TAGS, 2);
    assertOncePerStep(validation, VALIDATION_TAGS, 2);
    assertBatchFigures(trainScalars, firstFigures.byStep, 1);
    // Epoch 2's train figures are the first session's, the same as the retrained ones but for the timing.
    assertMatchesHistory(out, trainScalars, validation, false);
    assertEquals(straight.get(1).loss(), HistoryCsv.read(run.history()).get(1).loss(), 1e-6);
  }

  @Test
  void logEveryMustBePositive() {
    var r = Cli.run("train", "--data", archive.toString(), "--log-every", "0");
    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().startsWith("error: --log-every must be at least 1, got 0"), r.err());
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    var all = new TreeSet<>(a);
    all.addAll(b);
    return all;
  }
}
