package org.cifarresnet.report;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.cifarresnet.checkpoint.CheckpointInfo;
import org.cifarresnet.checkpoint.Provenance;
import org.cifarresnet.checkpoint.RunManifest;
import org.cifarresnet.config.Precision;
import org.cifarresnet.config.Presets;
import org.cifarresnet.data.Split;
import org.cifarresnet.eval.Evaluation;
import org.cifarresnet.train.EpochStats;

/** Synthetic report inputs: a plausible history, test images and an evaluation of them, with no training. */
final class ReportFixtures {
  static final List<String> CLASSES = List.of(
      "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

  static final OffsetDateTime NOON = OffsetDateTime.of(2026, 1, 2, 12, 0, 0, 0, ZoneOffset.UTC);

  private ReportFixtures() {}

  /** CurvesChartTest's plausible curves, with a step schedule and some jitter in the timing. */
  static List<EpochStats> history(int epochs) {
    List<EpochStats> rows = new ArrayList<>();
    for (EpochStats s : CurvesChartTest.history(epochs)) {
      int e = s.epoch();
      double lr = e > 160 ? 1e-6 : e > 120 ? 1e-5 : e > 80 ? 1e-4 : 1e-3; // steps like the Keras schedule
      double seconds = 75 + 10 * Math.sin(s.epoch() / 3.0);
      rows.add(new EpochStats(s.epoch(), lr, s.loss(), s.acc(), s.valLoss(), s.valAcc(), seconds, 50_000 / (seconds - 8)));
    }
    return rows;
  }

  /** Images whose colour depends on the label, so a grid of them visibly varies. */
  static Split images(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] pixels = new byte[n * Split.IMAGE_BYTES];
    byte[] labels = new byte[n];
    for (int i = 0; i < n; i++) {
      int label = random.nextInt(CLASSES.size());
      labels[i] = (byte) label;
      for (int p = 0; p < 32 * 32; p++) {
        int y = p / 32;
        int x = p % 32;
        int o = i * Split.IMAGE_BYTES + p * 3;
        pixels[o] = (byte) (label * 25 + (x ^ y) % 20);
        pixels[o + 1] = (byte) (255 - label * 20 - y * 2);
        pixels[o + 2] = (byte) (x * 8 + random.nextInt(16));
      }
    }
    return new Split(pixels, labels);
  }

  /**
   * An evaluation of {@code images} by an imaginary model that is right about {@code accuracy} of the time,
   * with softmax-like probabilities; the confusion matrix agrees with the probabilities' argmax.
   */
  static Evaluation evaluation(Split images, List<String> classNames, double accuracy, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int classes = classNames.size();
    float[] probabilities = new float[images.size() * classes];
    int[][] confusion = new int[classes][classes];
    int correct = 0;
    for (int i = 0; i < images.size(); i++) {
      int truth = images.labels()[i] & 0xFF;
      int predicted = random.nextDouble() < accuracy ? truth : random.nextInt(classes);
      double[] logits = new double[classes];
      for (int c = 0; c < classes; c++) logits[c] = random.nextGaussian();
      logits[predicted] += 2 + 4 * random.nextDouble();
      double sum = 0;
      for (int c = 0; c < classes; c++) sum += Math.exp(logits[c]);
      for (int c = 0; c < classes; c++) probabilities[i * classes + c] = (float) (Math.exp(logits[c]) / sum);
      confusion[truth][predicted]++;
      if (truth == predicted) correct++;
    }
    return new Evaluation(0.9, (double) correct / images.size(), confusion, classNames, probabilities);
  }

  static RunManifest manifest() {
    var config = Presets.byName("seed");
    return new RunManifest(config,
        new CheckpointInfo.DatasetInfo("/data/cifar-10-binary.tar.gz", "ab".repeat(32), CLASSES, 50_000, 10_000),
        new Provenance("dev", "2.18.0", "17.0.15", "Linux amd64", "Test CPU", 2, 0, Precision.FP32),
        "train --preset seed --out runs/seed", "2026-01-02T11:00:00Z");
  }

  /** A report of {@code epochsDone} epochs of {@code planned}, with test results on {@code testImages} images. */
  static ReportData data(int epochsDone, int planned, int testImages, List<String> classNames) {
    Split images = images(testImages, 3);
    var view = new ReportData.TestView(evaluation(images, classNames, 0.7, 4), images, "The best checkpoint, after epoch 3", 1);
    return new ReportData("seed", history(epochsDone), manifest(), view, null, planned, epochsDone < planned, NOON);
  }

  static List<String> renamed(String first) {
    List<String> names = new ArrayList<>(CLASSES);
    names.set(0, first);
    return names;
  }
}
