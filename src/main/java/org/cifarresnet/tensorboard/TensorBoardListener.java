package org.cifarresnet.tensorboard;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cifarresnet.checkpoint.RunDirectory;
import org.cifarresnet.train.EpochStats;
import org.cifarresnet.train.TrainingListener;
import org.cifarresnet.train.TrainingState;
import org.cifarresnet.util.AtomicFiles;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;

/**
 * Writes a run's TensorBoard event files under {@code RUN_DIR/tensorboard/}, as Keras' {@code TensorBoard}
 * callback does: in {@code train/} the scalars {@code epoch_loss}, {@code epoch_accuracy},
 * {@code epoch_learning_rate} and {@code epoch_images_per_second}, in {@code validation/} {@code epoch_loss}
 * and {@code epoch_accuracy}, at step = the 0-based epoch (Keras' {@code on_epoch_end(epoch)}). With
 * {@code --log-every N} also {@code batch_loss} and {@code batch_accuracy} in {@code train/} at every N-th
 * global step, counted from 1, with Keras' meaning: the mean over the epoch so far.
 *
 * <p>Resumed runs continue the same curves without a duplicate step or a gap. Each session opens new event
 * files (TensorFlow's writer names them by time), and never writes a step of a tag that the files on disk
 * already hold: it reads them when it starts. Epoch events are written after the checkpoint that holds the
 * epoch (this listener comes after the {@link org.cifarresnet.checkpoint.Checkpointer}), so an epoch on disk
 * is never trained again; a run killed between the two has the epoch in its checkpoint but not on disk, and
 * resume writes it then from the checkpoint's history, the figures history.csv holds. Per-step events of a
 * run killed mid-epoch may lie beyond its checkpoint: resume retrains those steps but does not write them
 * again (with the same seed the figures are the same, up to threading noise). A fresh run removes event
 * files left by an attempt that never saved a checkpoint.
 *
 * <p>TensorBoard files that cannot be written are a warning, not a reason to stop training; the next resume
 * fills in the epochs that are missing.
 */
public final class TensorBoardListener implements TrainingListener, AutoCloseable {
  /** Keras' folder names: TensorBoard shows each as a run, {@code <run>/tensorboard/train} and so on. */
  public static final String TRAIN = "train";
  public static final String VALIDATION = "validation";

  private final Path dir;
  private final PrintWriter warnings;
  /** Per folder and tag ("train/epoch_loss"), the steps already in an event file, from disk or this session. */
  private final Map<String, BitSet> written = new HashMap<>();
  private SummaryWriters writers; // null before the start, after a failure and once closed
  private int logEvery;

  /**
   * @param run the run whose {@link #dir} gets the event files
   * @param warnings where a failed write is reported: the command's error writer
   */
  public TensorBoardListener(RunDirectory run, PrintWriter warnings) {
    this(dir(run), warnings);
  }

  TensorBoardListener(Path dir, PrintWriter warnings) {
    this.dir = dir;
    this.warnings = warnings;
  }

  /** The folder a run keeps its event files in; point {@code tensorboard --logdir} at it or at a parent. */
  public static Path dir(RunDirectory run) {
    return run.root().resolve("tensorboard");
  }

  @Override
  public void onTrainingStart(TrainingStart e) {
    logEvery = e.config().training().logEvery();
    TrainingState state = e.state();
    guarded(() -> {
      boolean fresh = state.epochsDone() == 0 && state.partial().batchesDone() == 0;
      if (fresh) removeEventFiles(); else readStepsOnDisk();
      writers = new SummaryWriters(dir, List.of(TRAIN, VALIDATION));
      for (EpochStats s : state.history()) writeEpoch(s); // only those missing on disk
      writers.flush();
    });
  }

  @Override
  public void onBatchEnd(BatchEnd e) {
    if (logEvery == 0 || writers == null) return;
    long step = (long) (e.epoch() - 1) * e.batches() + e.progress().batchesDone(); // Keras' _global_train_batch
    if (step % logEvery != 0) return;
    guarded(() -> {
      scalar(TRAIN, "batch_loss", step, e.progress().meanLoss());
      scalar(TRAIN, "batch_accuracy", step, e.progress().accuracy());
    });
  }

  @Override
  public void onEpochEnd(EpochEnd e) {
    if (writers == null) return;
    guarded(() -> {
      writeEpoch(e.stats());
      writers.flush(); // the epoch is visible in TensorBoard now, not when TensorFlow's queue fills
    });
  }

  @Override
  public void onStop(TrainingState state) {
    close();
  }

  /** Writes out and closes the event files; the launcher calls it however training ends. */
  @Override
  public void close() {
    if (writers == null) return;
    SummaryWriters w = writers;
    writers = null;
    try {
      w.close();
    } catch (TensorFlowException ex) { // TensorFlow reports a failed write (a full disk) as its own exception
      warn(String.valueOf(ex.getMessage()));
    }
  }

  private void writeEpoch(EpochStats s) {
    long step = s.epoch() - 1; // Keras numbers epochs from 0 here
    scalar(TRAIN, "epoch_loss", step, s.loss());
    scalar(TRAIN, "epoch_accuracy", step, s.acc());
    scalar(TRAIN, "epoch_learning_rate", step, s.lr());
    scalar(TRAIN, "epoch_images_per_second", step, s.imagesPerSecond());
    scalar(VALIDATION, "epoch_loss", step, s.valLoss());
    scalar(VALIDATION, "epoch_accuracy", step, s.valAcc());
    if (s.valAccTta() != null) scalar(VALIDATION, "epoch_accuracy_tta", step, s.valAccTta());
    if (s.valAccNoEma() != null) scalar(VALIDATION, "epoch_accuracy_no_ema", step, s.valAccNoEma());
  }

  private void scalar(String folder, String tag, long step, double value) {
    BitSet steps = written.computeIfAbsent(folder + "/" + tag, k -> new BitSet());
    int index = Math.toIntExact(step);
    if (steps.get(index)) return;
    writers.scalar(folder, tag, step, value);
    steps.set(index);
  }

  private void readStepsOnDisk() throws IOException {
    for (String folder : List.of(TRAIN, VALIDATION)) {
      for (Path file : EventFiles.in(dir.resolve(folder))) {
        EventFiles.Contents contents = EventFiles.read(file);
        // A torn last record is what a kill leaves; the events before it count, the rest is lost.
        for (Event event : contents.events()) {
          for (Summary.Value v : event.getSummary().getValueList()) {
            written.computeIfAbsent(folder + "/" + v.getTag(), k -> new BitSet()).set(Math.toIntExact(event.getStep()));
          }
        }
      }
    }
  }

  private void removeEventFiles() throws IOException {
    for (String folder : List.of(TRAIN, VALIDATION)) {
      for (Path file : EventFiles.in(dir.resolve(folder))) Files.deleteIfExists(file);
    }
  }

  private interface Action {
    void run() throws IOException;
  }

  /**
   * Runs an action on the event files; a failed read or write (Java's, or TensorFlow's own exception
   * for its writer) warns once and ends TensorBoard logging for this session. Anything else is a bug
   * and goes on to the command.
   */
  private void guarded(Action action) {
    try {
      action.run();
    } catch (IOException | UncheckedIOException | TensorFlowException ex) {
      warn(ex instanceof IOException io ? AtomicFiles.describe(io)
          : ex instanceof UncheckedIOException u ? AtomicFiles.describe(u.getCause()) : String.valueOf(ex.getMessage()));
      SummaryWriters w = writers;
      writers = null;
      if (w != null) {
        try {
          w.close();
        } catch (TensorFlowException ignored) {
          // Already warned; the files are given up for this session.
        }
      }
    }
  }

  private void warn(String problem) {
    // TensorFlow's messages name the failing op on a second line ("[[{{node ...}}]]"): one line is the rule.
    String firstLine = problem.lines().findFirst().orElse("").strip();
    warnings.println("warning: TensorBoard files in " + dir + " not updated (" + firstLine
        + "); training goes on, and resume fills in the missing epochs");
    warnings.flush();
  }
}
