package org.cifarresnet.eval;

/**
 * Test-time augmentation by horizontal flip: a model sees each image as it is and mirrored, and the
 * two views' class probabilities are averaged. Training flips images at random, so the mirrored view
 * is as familiar to the model as the plain one; the average is usually a few tenths of a point more
 * accurate than either (He et al. and the Keras example report the plain view only, as history.csv does).
 */
public final class FlipViews {
  private static final int SIZE = 32;
  private static final int CHANNELS = 3;

  private FlipViews() {}

  /** A copy of {@code count} 32x32x3 HWC images with each row mirrored. */
  public static byte[] mirrored(byte[] images, int offset, int count) {
    byte[] out = new byte[count * SIZE * SIZE * CHANNELS];
    for (int row = 0; row < count * SIZE; row++) {
      int from = offset + row * SIZE * CHANNELS;
      int to = row * SIZE * CHANNELS;
      for (int x = 0; x < SIZE; x++) {
        System.arraycopy(images, from + (SIZE - 1 - x) * CHANNELS, out, to + x * CHANNELS, CHANNELS);
      }
    }
    return out;
  }

  /** The mean of two views' probabilities, element by element, into {@code plain}. */
  public static float[] averageInto(float[] plain, float[] flipped) {
    if (plain.length != flipped.length) {
      throw new IllegalArgumentException(plain.length + " and " + flipped.length + " probabilities");
    }
    for (int i = 0; i < plain.length; i++) plain[i] = (plain[i] + flipped[i]) / 2;
    return plain;
  }
}
