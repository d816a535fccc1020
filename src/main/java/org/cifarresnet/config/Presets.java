package org.cifarresnet.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * All hyper-parameter presets, in one place. Command-line options override a preset's values; an
 * unknown preset name fails.
 */
public final class Presets {
  private Presets() {}

  /** The default seed, used when no --seed is given. */
  public static final long DEFAULT_SEED = 1;

  /**
   * The Keras {@code cifar10_resnet} example: ResNet20 v1, Adam 1e-3 with its step schedule, batch
   * 32, 200 epochs, per-pixel mean subtraction, shifts and flips. It reports 92.16 % (paper 91.25 %).
   */
  public static RunConfig keras() {
    return new RunConfig(
        "keras",
        new ModelConfig(20, 10, 1e-4, 0.99, 1e-3),
        new OptimizerConfig(1e-3, 0.9, 0.999, 1e-7, OptimizerConfig.Schedule.KERAS_STEP),
        new DataConfig(true, 3, 0),
        new TrainingConfig(200, 32, DEFAULT_SEED, Precision.FP32));
  }

  /**
   * The original author's run of the Keras example: the same, cut to 50 epochs, no augmentation
   * (about 80 % test accuracy on the official data).
   */
  public static RunConfig seed() {
    RunConfig k = keras();
    return new RunConfig(
        "seed", k.model(), k.optimizer(), k.data().withAugment(false), k.training().withEpochs(50));
  }

  private static final Map<String, java.util.function.Supplier<RunConfig>> ALL = new LinkedHashMap<>();

  static {
    ALL.put("keras", Presets::keras);
    ALL.put("seed", Presets::seed);
  }

  /** The names of all presets, in the order they are documented. */
  public static java.util.Set<String> names() {
    return ALL.keySet();
  }

  /** The preset of this name; an unknown name throws IllegalArgumentException listing the known ones. */
  public static RunConfig byName(String name) {
    var supplier = ALL.get(name);
    if (supplier == null) {
      throw new IllegalArgumentException("unknown preset '" + name + "'; choose one of " + String.join(", ", ALL.keySet()));
    }
    return supplier.get();
  }
}
