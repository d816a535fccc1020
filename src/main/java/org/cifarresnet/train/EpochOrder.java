package org.cifarresnet.train;

import java.util.SplittableRandom;

/**
 * Random streams derived from the run's seed and a position (epoch, batch), so that the data order
 * and augmentation of any batch can be recomputed on resume without replaying the ones before it.
 */
public final class EpochOrder {
  private EpochOrder() {}

  /** A random source for one (seed, epoch, batch) position; batch -1 stands for the epoch's shuffle. */
  public static SplittableRandom random(long seed, int epoch, int batch) {
    long mixed = seed * 0x9E3779B97F4A7C15L + epoch * 0xC2B2AE3D27D4EB4FL + (batch + 1) * 0x165667B19E3779F9L;
    return new SplittableRandom(mixed);
  }

  /** The order in which an epoch visits {@code n} training images (Fisher-Yates). */
  public static int[] permutation(long seed, int epoch, int n) {
    SplittableRandom random = random(seed, epoch, -1);
    int[] order = new int[n];
    for (int i = 0; i < n; i++) order[i] = i;
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }
}
