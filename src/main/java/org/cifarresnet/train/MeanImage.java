package org.cifarresnet.train;

import org.cifarresnet.data.Split;

/** The per-pixel mean of a training set, in 0..1 (the Keras example subtracts it from every image). */
public final class MeanImage {
  private MeanImage() {}

  /** Mean over images of each of the 32 x 32 x 3 values, HWC order, scaled to 0..1. */
  public static float[] of(Split train) {
    int pixels = 32 * 32 * 3;
    long[] sums = new long[pixels];
    byte[] images = train.images();
    for (int i = 0; i < train.size(); i++) {
      int base = i * pixels;
      for (int p = 0; p < pixels; p++) sums[p] += images[base + p] & 0xFF;
    }
    float[] mean = new float[pixels];
    for (int p = 0; p < pixels; p++) mean[p] = (float) (sums[p] / (255.0 * train.size()));
    return mean;
  }
}
