package org.cifarresnet.train;

import java.util.SplittableRandom;

/**
 * The Keras example's augmentation on uint8 HWC images: a random shift of up to {@code maxShift}
 * pixels in each direction with the edge pixels repeated ({@code fill_mode='nearest'}), and a
 * horizontal flip with probability 1/2. Keras shifts by a real number of up to 3.2 px with
 * interpolation; a whole-pixel shift in [-3, 3] is the close, cheaper equivalent used here.
 */
public final class Augmenter {
  private static final int SIZE = 32;
  private static final int CHANNELS = 3;

  private final int maxShift;

  public Augmenter(int maxShift) {
    this.maxShift = maxShift;
  }

  /** Writes an augmented copy of the image at {@code src[srcOffset]} to {@code dst[dstOffset]}. */
  public void apply(byte[] src, int srcOffset, byte[] dst, int dstOffset, SplittableRandom random) {
    int dy = random.nextInt(2 * maxShift + 1) - maxShift;
    int dx = random.nextInt(2 * maxShift + 1) - maxShift;
    boolean flip = random.nextBoolean();
    for (int y = 0; y < SIZE; y++) {
      int sy = clamp(y - dy);
      int srcRow = srcOffset + sy * SIZE * CHANNELS;
      int dstRow = dstOffset + y * SIZE * CHANNELS;
      for (int x = 0; x < SIZE; x++) {
        int sx = clamp((flip ? SIZE - 1 - x : x) - dx);
        int s = srcRow + sx * CHANNELS;
        int d = dstRow + x * CHANNELS;
        dst[d] = src[s];
        dst[d + 1] = src[s + 1];
        dst[d + 2] = src[s + 2];
      }
    }
  }

  private static int clamp(int v) {
    return v < 0 ? 0 : (v >= SIZE ? SIZE - 1 : v);
  }
}
