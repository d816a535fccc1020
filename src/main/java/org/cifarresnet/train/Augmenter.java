package org.cifarresnet.train;

import java.util.SplittableRandom;
import org.cifarresnet.config.DataConfig.Fill;

/**
 * The Keras example's augmentation on uint8 HWC images: a random shift of up to {@code maxShift}
 * pixels in each direction with the edge pixels repeated ({@code fill_mode='nearest'}), and a
 * horizontal flip with probability 1/2. Keras shifts by a real number of up to 3.2 px with
 * interpolation; a whole-pixel shift in [-3, 3] is the close, cheaper equivalent used here.
 * With {@link Fill#ZERO} the uncovered pixels are black instead: a shift of up to 4 is then a
 * random 32x32 crop of the image padded with 4 black pixels, He et al.'s augmentation.
 */
public final class Augmenter {
  private static final int SIZE = 32;
  private static final int CHANNELS = 3;

  private final int maxShift;
  private final Fill fill;

  public Augmenter(int maxShift, Fill fill) {
    this.maxShift = maxShift;
    this.fill = fill;
  }

  /** Writes an augmented copy of the image at {@code src[srcOffset]} to {@code dst[dstOffset]}. */
  public void apply(byte[] src, int srcOffset, byte[] dst, int dstOffset, SplittableRandom random) {
    int dy = random.nextInt(2 * maxShift + 1) - maxShift;
    int dx = random.nextInt(2 * maxShift + 1) - maxShift;
    boolean flip = random.nextBoolean();
    for (int y = 0; y < SIZE; y++) {
      int sy = y - dy;
      int srcRow = srcOffset + clamp(sy) * SIZE * CHANNELS;
      int dstRow = dstOffset + y * SIZE * CHANNELS;
      for (int x = 0; x < SIZE; x++) {
        int sx = (flip ? SIZE - 1 - x : x) - dx;
        int d = dstRow + x * CHANNELS;
        if (fill == Fill.ZERO && (outside(sy) || outside(sx))) {
          dst[d] = dst[d + 1] = dst[d + 2] = 0;
          continue;
        }
        int s = srcRow + clamp(sx) * CHANNELS;
        dst[d] = src[s];
        dst[d + 1] = src[s + 1];
        dst[d + 2] = src[s + 2];
      }
    }
  }

  private static boolean outside(int v) {
    return v < 0 || v >= SIZE;
  }

  private static int clamp(int v) {
    return v < 0 ? 0 : (v >= SIZE ? SIZE - 1 : v);
  }
}
