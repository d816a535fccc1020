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
  private final List<TInt32> labels = new ArrayList<>();
  private final List<String> classNames;
  private final int[] allLabels;

  public Evaluator(Split set, List<String> classNames, int batchSize) {
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

  /** Loss, accuracy, confusion matrix and every image's probabilities (for reports). */
  public Evaluation evaluate(CifarModel model) {
    int classes = model.config().classes();
    float[] probabilities = new float[allLabels.length * classes];
    int[][] confusion = new int[classes][classes];
    double lossSum = 0;
    int correct = 0;
    int offset = 0;
    for (int b = 0; b < images.size(); b++) {
      CifarModel.Inference out = model.infer(images.get(b), labels.get(b));
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
    double loss = lossSum / offset + model.l2Term();
    return new Evaluation(loss, (double) correct / offset, confusion, classNames, probabilities);
  }

  @Override
  public void close() {
    images.forEach(TUint8::close);
    labels.forEach(TInt32::close);
  }
}
