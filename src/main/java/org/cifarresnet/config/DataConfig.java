package org.cifarresnet.config;

/**
 * What the network sees and how it is varied.
 *
 * @param augment random shifts and horizontal flips of training images (Keras ImageDataGenerator)
 * @param maxShift largest shift in pixels; Keras shifts by up to 10 % of 32 = 3.2 px with
 *     edge-replicating fill: we draw an integer in [-3, 3], a close and cheaper equivalent
 * @param limit train on the first {@code limit} training images only (0: all); the test set stays whole
 * @param fill what a shift uncovers: the edge pixels repeated (Keras' {@code fill_mode='nearest'}) or
 *     black, as a random crop of the zero-padded image (He et al.; torchvision's {@code RandomCrop(32, padding=4)})
 */
public record DataConfig(boolean augment, int maxShift, int limit, Fill fill) {
  /** The largest shift allowed: half the 32-pixel image. */
  public static final int MAX_SHIFT = 16;

  /** Pixels uncovered by a shift. */
  public enum Fill {
    EDGE,
    ZERO
  }

  public DataConfig {
    if (fill == null) fill = Fill.EDGE; // config.json files written before the fill existed

    Check.range("maxShift", maxShift, 0, MAX_SHIFT);
    Check.range("limit", limit, 0, Integer.MAX_VALUE);
  }

  public DataConfig withAugment(boolean value) {
    return new DataConfig(value, maxShift, limit, fill);
  }

  public DataConfig withMaxShift(int value) {
    return new DataConfig(augment, value, limit, fill);
  }

  public DataConfig withLimit(int value) {
    return new DataConfig(augment, maxShift, value, fill);
  }
}
