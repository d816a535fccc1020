package org.cifarresnet.config;

import org.cifarresnet.util.RefusedValue;

/** Constructor checks shared by the settings records; failures name the setting and the bad value. */
final class Check {
  private Check() {}

  static void positive(String name, double value) {
    if (!(value > 0)) throw new RefusedValue(name + " must be positive, got " + plain(value));
  }

  static void range(String name, double value, double min, double max) {
    if (!(value >= min && value <= max)) {
      throw new RefusedValue(
          name + " must be in [" + plain(min) + ", " + plain(max) + "], got " + plain(value));
    }
  }

  /** 0 rather than 0.0 for whole numbers (epochs, classes), the number as given otherwise. */
  private static String plain(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
  }
}
