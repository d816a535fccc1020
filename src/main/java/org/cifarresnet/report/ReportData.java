package org.cifarresnet.report;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.cifarresnet.checkpoint.RunManifest;
import org.cifarresnet.data.Split;
import org.cifarresnet.eval.Evaluation;
import org.cifarresnet.train.EpochStats;

/**
 * Everything one run's report shows; {@link HtmlReport} turns it into a page without reading any file.
 *
 * @param title the run's name, usually its directory's
 * @param history one row per finished epoch (may be empty: the run has not finished its first epoch)
 * @param manifest the run's config.json, or null if it has none
 * @param test the test-set figures of one model of the run, or null (no checkpoint, no data)
 * @param testNote why there are no test figures, shown in their place when {@code test} is null
 * @param epochsPlanned epochs the run trains in all (a resumed run may have more than config.json says)
 * @param live whether the run is training right now: the page then reloads itself
 * @param generatedAt when the page was made; the ETA is counted from it
 */
public record ReportData(
    String title, List<EpochStats> history, RunManifest manifest, TestView test, String testNote, int epochsPlanned,
    boolean live, OffsetDateTime generatedAt) {
  /** Epochs over which the ETA averages the epoch time: recent enough to follow a change of speed. */
  static final int ETA_WINDOW = 5;

  public ReportData {
    // A resumed run may have its rows out of order; every chart and table wants them by epoch.
    List<EpochStats> sorted = new ArrayList<>(history);
    sorted.sort(Comparator.comparingInt(EpochStats::epoch));
    history = List.copyOf(sorted);
  }

  /**
   * One model's results on the test set, with the images they are about.
   *
   * @param evaluation loss, accuracy, confusion matrix and every image's class probabilities
   * @param images the test images, in the order the evaluation saw them
   * @param model which model this is, as the page says it (e.g. "best checkpoint, epoch 41")
   * @param sampleSeed fixes the random sample of images, so it stays the same across a run's epochs
   * @param flipAccuracy the same model's accuracy with test-time augmentation by flip (plain and
   *     mirrored views averaged), or null where it was not measured (during training)
   */
  public record TestView(Evaluation evaluation, Split images, String model, long sampleSeed, Double flipAccuracy) {
    /** A view without the flip figure. */
    public TestView(Evaluation evaluation, Split images, String model, long sampleSeed) {
      this(evaluation, images, model, sampleSeed, null);
    }

    public TestView {
      int classes = evaluation.classNames().size();
      if (evaluation.probabilities() == null || evaluation.probabilities().length != (long) images.size() * classes) {
        throw new IllegalArgumentException(
            "the evaluation has probabilities for " + (evaluation.probabilities() == null ? 0 : evaluation.probabilities().length)
                + " values, expected " + images.size() + " images x " + classes + " classes");
      }
    }
  }

  /** Epochs finished so far (the last row's epoch number: a resumed run's rows may start later than 1). */
  public int epochsDone() {
    return history.isEmpty() ? 0 : history.get(history.size() - 1).epoch();
  }

  public boolean finished() {
    return epochsDone() >= epochsPlanned;
  }

  /** The row with the best test accuracy (the first of equals, as the best checkpoint keeps), or null. */
  public EpochStats best() {
    EpochStats best = null;
    for (EpochStats s : history) if (best == null || s.valAcc() > best.valAcc()) best = s;
    return best;
  }

  /** Seconds of wall time the remaining epochs will take at the recent pace, or NaN without a finished epoch. */
  public double etaSeconds() {
    if (history.isEmpty()) return Double.NaN;
    List<EpochStats> recent = history.subList(Math.max(0, history.size() - ETA_WINDOW), history.size());
    double mean = recent.stream().mapToDouble(EpochStats::seconds).average().orElse(Double.NaN);
    return Math.max(0, epochsPlanned - epochsDone()) * mean;
  }

  /** Wall time of all finished epochs, training and evaluation. */
  public double trainingSeconds() {
    return history.stream().mapToDouble(EpochStats::seconds).sum();
  }
}
