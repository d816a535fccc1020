package org.cifarresnet.config;

/** Constructor checks shared by the settings records; failures name the setting and the bad value. */
final class Check {
  private Check() {}

  static void positive(String name, double value) {
    if (!(value > 0)) throw new IllegalArgumentException(name + " must be positive, got " + value);
  }

  static void range(String name, double value, double min, double max) {
    if (!(value >= min && value <= max)) {
      throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], got " + value);
    }
  }
}
