package org.cifarresnet.config;

/**
 * What the network sees and how it is varied.
 *
 * @param augment random shifts and horizontal flips of training images (Keras ImageDataGenerator)
 * @param maxShift largest shift in pixels; Keras shifts by up to 10 % of 32 = 3.2 px with
 *     edge-replicating fill: we draw an integer in [-3, 3], a close and cheaper equivalent
 * @param limit train on the first {@code limit} training images only (0: all); the test set stays whole
 */
public record DataConfig(boolean augment, int maxShift, int limit) {
  public DataConfig {
    Check.range("maxShift", maxShift, 0, 16);
    Check.range("limit", limit, 0, Integer.MAX_VALUE);
  }

  public DataConfig withAugment(boolean value) {
    return new DataConfig(value, maxShift, limit);
  }

  public DataConfig withLimit(int value) {
    return new DataConfig(augment, maxShift, value);
  }
}
