package org.cifarresnet.eval;

import java.util.List;

/**
 * A model's figures on a labelled set.
 *
 * @param loss mean cross-entropy plus the L2 term, as Keras reports val_loss
 * @param accuracy fraction of images classified right
 * @param confusion counts [true class][predicted class]
 * @param classNames class names in label order
 * @param probabilities every image's class probabilities, [image * classes + class], in set order
 */
public record Evaluation(double loss, double accuracy, int[][] confusion, List<String> classNames, float[] probabilities) {
  /** Accuracy on the images of each true class (recall). */
  public double[] perClassAccuracy() {
    double[] result = new double[confusion.length];
    for (int c = 0; c < confusion.length; c++) {
      int total = 0;
      for (int n : confusion[c]) total += n;
      result[c] = total == 0 ? 0 : (double) confusion[c][c] / total;
    }
    return result;
  }

  public int count() {
    int total = 0;
    for (int[] row : confusion) for (int n : row) total += n;
    return total;
  }
}
