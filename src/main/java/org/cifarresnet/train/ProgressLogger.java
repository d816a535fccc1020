package org.cifarresnet.train;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import org.cifarresnet.config.Precision;
import org.cifarresnet.util.AtomicFiles;

/**
 * Progress like Keras' fit: a live bar per epoch with ETA, running loss and accuracy, then one line
 * with the epoch's figures. When the console is not a terminal (a log file, nohup) the bar is
 * printed as a line at every tenth of the epoch instead of being redrawn. Epoch lines also go to
 * the run's log file.
 */
public final class ProgressLogger implements TrainingListener, AutoCloseable {
  private static final int BAR_WIDTH = 30;
  private static final long REDRAW_NANOS = 200_000_000L;

  private final PrintWriter console;
  private final boolean live;
  private final Writer log;
  private final Path logFile;
  private long lastDraw;
  private int lastTenth;
  private int firstBatch;
  private String barLine = "";

  /**
   * @param live redraw the bar in place (the console is a terminal)
   * @param logFile appended to; null for none
   */
  public ProgressLogger(PrintWriter console, boolean live, Path logFile) {
    this.console = console;
    this.live = live;
    this.logFile = logFile;
    try {
      this.log = logFile == null ? null
          : Files.newBufferedWriter(logFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw AtomicFiles.cannotWrite(logFile, e);
    }
  }

  @Override
  public void onTrainingStart(TrainingStart e) {
    var c = e.config();
    line(String.format(Locale.ROOT, "ResNet%d v1: %,d trainable parameters (%,d with batch-norm moving statistics)",
        c.model().depth(), e.trainableParameters(), e.kerasParameters()));
    line(String.format(Locale.ROOT,
        "preset %s: %d epochs, batch %d, %s lr %s (%s), augmentation %s, seed %d, precision %s%s; %,d training and %,d test images",
        c.preset(), c.training().epochs(), c.training().batchSize(),
        c.optimizer().algorithm().name().toLowerCase(Locale.ROOT), c.optimizer().lr(),
        c.optimizer().schedule().name().toLowerCase(Locale.ROOT), c.data().augment() ? "on" : "off",
        c.training().seed(), precision(c.training().precision()),
        c.training().ema() > 0 ? ", weight average " + c.training().ema() : "", e.trainImages(), e.testImages()));
    if (e.state().epochsDone() > 0 || e.state().partial().batchesDone() > 0) {
      line("resuming after epoch " + e.state().epochsDone() + ", step " + e.state().partial().batchesDone());
    }
  }

  /** The precision in use; for auto, what it chose and why. */
  private static String precision(Precision asked) {
    String used = asked.resolve().name().toLowerCase(Locale.ROOT);
    if (asked == Precision.AUTO) return used + " (auto: " + Precision.autoReason() + ")";
    if (asked == Precision.BF16 && !Precision.oneDnnRunsBf16()) {
      return used + " (this CPU lacks AVX-512: TensorFlow runs it in its slower Eigen kernels)";
    }
    return used;
  }

  @Override
  public void onEpochStart(EpochStart e) {
    firstBatch = e.firstBatch();
    lastTenth = e.firstBatch() * 10 / e.batches();
    lastDraw = 0;
    line(String.format(Locale.ROOT, "Epoch %d/%d", e.epoch(), e.epochs()));
  }

  @Override
  public void onBatchEnd(BatchEnd e) {
    EpochProgress p = e.progress();
    boolean lastBatch = p.batchesDone() == e.batches();
    long now = System.nanoTime();
    int tenth = p.batchesDone() * 10 / e.batches();
    if (live ? (now - lastDraw < REDRAW_NANOS && !lastBatch) : (tenth == lastTenth && !lastBatch)) return;
    lastDraw = now;
    lastTenth = tenth;
    barLine = bar(p, e.batches());
    if (live) {
      console.print("\r" + barLine);
      console.flush();
    } else {
      console.println(barLine);
      console.flush();
    }
  }

  private String bar(EpochProgress p, int batches) {
    int done = p.batchesDone();
    int filled = done * BAR_WIDTH / batches;
    String arrow = "=".repeat(Math.max(0, filled - (done < batches ? 1 : 0))) + (done < batches && filled > 0 ? ">" : "");
    String bar = "[" + arrow + ".".repeat(BAR_WIDTH - arrow.length()) + "]";
    int width = String.valueOf(batches).length();
    String head = String.format(Locale.ROOT, "%" + width + "d/%d %s", done, batches, bar);
    int stepsThisRun = done - firstBatch;
    double perStep = stepsThisRun > 0 ? p.trainSeconds() / done : 0;
    String time = done < batches
        ? "ETA: " + clock(perStep * (batches - done))
        : String.format(Locale.ROOT, "%ds %dms/step", Math.round(p.trainSeconds()), Math.round(1000 * perStep));
    return String.format(Locale.ROOT, "%s - %s - loss: %.4f - acc: %.4f", head, time, p.meanLoss(), p.accuracy());
  }

  private static String clock(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }

  @Override
  public void onEpochEnd(EpochEnd e) {
    if (live) console.println();
    writeLog(barLine);
    EpochStats s = e.stats();
    line(String.format(Locale.ROOT,
        "epoch %3d | loss %.4f  acc %.4f | val_loss %.4f  val_acc %.4f | lr %.1e | %6.1f s  %6.0f img/s  busy %3.0f%%%s",
        s.epoch(), s.loss(), s.acc(), s.valLoss(), s.valAcc(), s.lr(), s.seconds(), s.imagesPerSecond(),
        100 * e.busyShare(), e.best() ? "  best" : "")
        + (s.valAccTta() == null ? "" : String.format(Locale.ROOT, " | val_acc_tta %.4f", s.valAccTta()))
        + (s.valAccNoEma() == null ? "" : String.format(Locale.ROOT, " | val_acc_no_ema %.4f", s.valAccNoEma())));
  }

  @Override
  public void onStop(TrainingState state) {
    if (live) console.println();
    writeLog(barLine);
  }

  /** A line to the console and the log. */
  public void line(String text) {
    console.println(text);
    console.flush();
    writeLog(text);
  }

  private void writeLog(String text) {
    if (log == null || text.isEmpty()) return;
    try {
      // One line, one flush: the buffered line reaches the appended file in a single write, so a
      // killed run leaves whole lines behind (only a full disk can cut one).
      log.write(text + "\n");
      log.flush();
    } catch (IOException e) {
      throw AtomicFiles.cannotWrite(logFile, e);
    }
  }

  @Override
  public void close() {
    if (log == null) return;
    try {
      log.close();
    } catch (IOException ignored) {
      // the log was flushed after every line
    }
  }
}
