package org.cifarresnet.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.cifarresnet.data.Split;
import org.cifarresnet.model.CifarModel;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TUint8;

/**
 * Evaluates models on a fixed labelled set. The set is copied into native tensors once and reused
 * at every epoch's evaluation; close the evaluator to free them.
 */
public final class Evaluator implements AutoCloseable {
  private static final int IMAGE_BYTES = 32 * 32 * 3;

  private final List<TUint8> images = new ArrayList<>();
  private final List<TUint8> mirroredImages = new ArrayList<>(); // made on the first flip evaluation
  private final List<TInt32> labels = new ArrayList<>();
  private final List<String> classNames;
  private final int[] allLabels;
  private final Split set;
  private final int batchSize;

  public Evaluator(Split set, List<String> classNames, int batchSize) {
    this.set = set;
    this.batchSize = batchSize;
    this.classNames = List.copyOf(classNames);
    this.allLabels = new int[set.size()];
    for (int i = 0; i < set.size(); i++) allLabels[i] = set.labels()[i];
    for (int start = 0; start < set.size(); start += batchSize) {
      int n = Math.min(batchSize, set.size() - start);
      images.add(
          TUint8.tensorOf(
              Shape.of(n, 32, 32, 3),
              DataBuffers.of(set.images(), true, false).slice((long) start * IMAGE_BYTES, (long) n * IMAGE_BYTES)));
      int[] batchLabels = Arrays.copyOfRange(allLabels, start, start + n);
      labels.add(TInt32.tensorOf(Shape.of(n), DataBuffers.of(batchLabels, true, false)));
    }
  }

  /** Loss, accuracy, confusion matrix and every image's probabilities (for reports), plain view. */
  public Evaluation evaluate(CifarModel model) {
    return evaluate(model, false);
  }

  /**
   * As {@link #evaluate(CifarModel)}; with {@code flipToo}, of the plain and mirrored views' averaged
   * probabilities ({@link FlipViews}), the loss being the cross-entropy of that average.
   */
  public Evaluation evaluate(CifarModel model, boolean flipToo) {
    Views views = evaluateViews(model, flipToo);
    return flipToo ? views.flipAveraged() : views.plain();
  }

  /**
   * The plain view's figures and those of the plain and mirrored views averaged, from one pass over
   * each view (test-time augmentation reuses the plain view's probabilities).
   */
  public Views evaluateBothViews(CifarModel model) {
    return evaluateViews(model, true);
  }

  /** Figures of the plain view, and of the two views averaged; {@code flipAveraged} is null when not asked for. */
  public record Views(Evaluation plain, Evaluation flipAveraged) {}

  private Views evaluateViews(CifarModel model, boolean flipToo) {
    if (flipToo && mirroredImages.isEmpty()) {
      for (int start = 0; start < set.size(); start += batchSize) {
        int n = Math.min(batchSize, set.size() - start);
        mirroredImages.add(TUint8.tensorOf(Shape.of(n, 32, 32, 3),
            DataBuffers.of(FlipViews.mirrored(set.images(), start * IMAGE_BYTES, n), true, false)));
      }
    }
    int classes = model.config().classes();
    Tally plain = new Tally(classes);
    Tally averaged = flipToo ? new Tally(classes) : null;
    for (int b = 0; b < images.size(); b++) {
      CifarModel.Inference out = model.infer(images.get(b), labels.get(b));
      if (flipToo) {
        // averageInto writes into its first argument: give it a copy, the plain view is tallied too.
        float[] both = FlipViews.averageInto(out.probabilities().clone(), model.probabilities(mirroredImages.get(b)));
        averaged.add(new CifarModel.Inference(both, crossEntropies(both, allLabels, averaged.offset, classes), out.count(), classes));
      }
      plain.add(out);
    }
    return new Views(plain.result(model.l2Term()), flipToo ? averaged.result(model.l2Term()) : null);
  }

  /** Running counts over the set's batches, in set order. */
  private final class Tally {
    final int classes;
    final float[] probabilities;
    final int[][] confusion;
    double lossSum;
    int correct;
    int offset;

    Tally(int classes) {
      this.classes = classes;
      this.probabilities = new float[allLabels.length * classes];
      this.confusion = new int[classes][classes];
    }

    void add(CifarModel.Inference out) {
      for (int i = 0; i < out.count(); i++) {
        int truth = allLabels[offset + i];
        int predicted = out.predicted(i);
        confusion[truth][predicted]++;
        if (truth == predicted) correct++;
        lossSum += out.losses()[i];
      }
      System.arraycopy(out.probabilities(), 0, probabilities, offset * classes, out.count() * classes);
      offset += out.count();
    }

    Evaluation result(double l2Term) {
      return new Evaluation(lossSum / offset + l2Term, (double) correct / offset, confusion, classNames, probabilities);
    }
  }

  private static float[] crossEntropies(float[] probabilities, int[] labels, int offset, int classes) {
    float[] losses = new float[probabilities.length / classes];
    for (int i = 0; i < losses.length; i++) {
      losses[i] = (float) -Math.log(Math.max(probabilities[i * classes + labels[offset + i]], Float.MIN_NORMAL));
    }
    return losses;
  }

  @Override
  public void close() {
    images.forEach(TUint8::close);
    mirroredImages.forEach(TUint8::close);
    labels.forEach(TInt32::close);
  }
}
