package org.cifarresnet.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.cifarresnet.config.DataConfig.Fill;
import org.junit.jupiter.api.Test;

class AugmenterTest {
  /** An image whose pixel (y, x) holds y in red, x in green and 7 in blue. */
  private static byte[] ramp() {
    byte[] image = new byte[32 * 32 * 3];
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        int i = (y * 32 + x) * 3;
        image[i] = (byte) y;
        image[i + 1] = (byte) x;
        image[i + 2] = 7;
      }
    }
    return image;
  }

  @Test
  void shiftsStayWithinThreePixelsRepeatEdgesAndFlipHalfTheTime() {
    byte[] src = ramp();
    byte[] dst = new byte[src.length];
    var augmenter = new Augmenter(3, Fill.EDGE);
    SplittableRandom random = new SplittableRandom(5);
    int flips = 0;
    int trials = 2000;
    for (int t = 0; t < trials; t++) {
      augmenter.apply(src, 0, dst, 0, random);
      int dy = 16 - dst[(16 * 32 + 16) * 3]; // the centre pixel came from row 16 - dy
      int gx = dst[(16 * 32 + 16) * 3 + 1];
      boolean flipped = dst[(16 * 32 + 0) * 3 + 1] > dst[(16 * 32 + 31) * 3 + 1];
      if (flipped) flips++;
      int dx = flipped ? (31 - 16) - gx : 16 - gx;
      assertEquals(true, Math.abs(dy) <= 3 && Math.abs(dx) <= 3, "shift " + dy + "," + dx);
      // Edge replication: the top row is a copy of source row max(0, -dy).
      assertEquals(Math.max(0, -dy), dst[0]);
      assertEquals(7, dst[(31 * 32 + 31) * 3 + 2]);
    }
    assertEquals(0.5, (double) flips / trials, 0.05);
  }

  @Test
  void zeroFillIsARandomCropOfTheImagePaddedWithFourBlackPixels() {
    byte[] src = ramp();
    for (int i = 0; i < src.length; i++) src[i] = (byte) (src[i] + 100); // no source pixel is 0
    byte[] dst = new byte[src.length];
    var augmenter = new Augmenter(4, Fill.ZERO);
    SplittableRandom random = new SplittableRandom(9);
    boolean sawFour = false;
    for (int t = 0; t < 2000; t++) {
      augmenter.apply(src, 0, dst, 0, random);
      int blackRows = 0;
      int blackColumns = 0;
      for (int y = 0; y < 32; y++) if (dst[(y * 32 + 16) * 3 + 2] == 0) blackRows++;
      for (int x = 0; x < 32; x++) if (dst[(16 * 32 + x) * 3 + 2] == 0) blackColumns++;
      assertEquals(true, blackRows <= 4 && blackColumns <= 4, blackRows + " black rows, " + blackColumns + " columns");
      sawFour |= blackRows == 4 && blackColumns == 4;
      // Every pixel is black (padding) or a source pixel, all three channels together.
      for (int i = 0; i < dst.length; i += 3) {
        assertEquals(dst[i] == 0, dst[i + 1] == 0);
        assertEquals(dst[i] == 0, dst[i + 2] == 0);
        if (dst[i] != 0) assertEquals(107, dst[i + 2]);
      }
    }
    assertEquals(true, sawFour, "the largest crop offset, 4, occurs");
  }

  @Test
  void aLargestShiftOfZeroLeavesOnlyTheFlips() {
    byte[] src = ramp();
    byte[] mirror = new byte[src.length];
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) System.arraycopy(src, (y * 32 + x) * 3, mirror, (y * 32 + 31 - x) * 3, 3);
    }
    byte[] dst = new byte[src.length];
    var augmenter = new Augmenter(0, Fill.ZERO);
    SplittableRandom random = new SplittableRandom(3);
    int flips = 0;
    for (int t = 0; t < 400; t++) {
      augmenter.apply(src, 0, dst, 0, random);
      boolean flipped = Arrays.equals(dst, mirror);
      assertEquals(true, flipped || Arrays.equals(dst, src), "neither the image nor its mirror");
      if (flipped) flips++;
    }
    assertEquals(0.5, flips / 400.0, 0.1);
  }
}
