package org.cifarresnet.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.cifarresnet.util.RefusedValue;

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
   * Precision auto: bf16 where the CPU has it (and passes Bf16Check), which reached fp32's accuracy on the seed recipe
   * (docs/results/seed-bf16).
   */
  public static RunConfig keras() {
    return new RunConfig(
        "keras",
        new ModelConfig(20, 10, 1e-4, 0.99, 1e-3, 0),
        OptimizerConfig.kerasAdam(),
        new DataConfig(true, 3, 0, DataConfig.Fill.EDGE),
        new TrainingConfig(200, 32, DEFAULT_SEED, Precision.AUTO));
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

  /**
   * Our own recipe to reach the Keras recipe's accuracy sooner, from fast-training practice and
   * the ResNet paper's SGD recipe: SGD with Nesterov momentum 0.9 and a one-cycle rate (peak 0.1
   * after 2 warm-up epochs, linear to 0), batch 128 (four times fewer, better-used steps), random
   * 32x32 crops of the 4-pixel padded image (edge-replicated) and flips, label smoothing 0.1, L2
   * 2.5e-4 on convolution kernels only (the loss term's gradient 2 x 2.5e-4 x w equals weight
   * decay 5e-4; batch-norm parameters are not decayed), bf16 where the CPU has it, 24 epochs: a
   * tenth of the Keras recipe's 200 epochs in time on the CPU where both were timed (docs/accuracy.md,
   * "Fast, second generation", where 24 epochs reach the Keras run's final accuracy less half a point
   * with flip TTA at evaluation). No weight average: at the end of a full one-cycle it bought nothing.
   */
  public static RunConfig fast() {
    return new RunConfig(
        "fast",
        new ModelConfig(20, 10, 2.5e-4, 0.99, 1e-3, 0.1),
        new OptimizerConfig(
            OptimizerConfig.Algorithm.SGD_NESTEROV, 0.1, 0.9, 0.999, 1e-7, 0.9, OptimizerConfig.Schedule.ONE_CYCLE, 2),
        new DataConfig(true, 4, 0, DataConfig.Fill.EDGE),
        new TrainingConfig(24, 128, DEFAULT_SEED, Precision.AUTO));
  }

  /**
   * He et al. 2015, section 4.2 (CIFAR-10), on the Keras example's network: SGD with momentum 0.9,
   * learning rate 0.1 divided by 10 at 32k and 48k of 64k iterations, weight decay 1e-4, batch 128,
   * random 32x32 crops of the image padded with 4 black pixels and horizontal flips, per-pixel mean
   * subtraction, a single view at test time. 164 epochs of 391 steps: 64,124 iterations, the drops at
   * half and three quarters of them. Departures, for our network and data: projection shortcuts
   * (option B, the Keras example's) where the paper used zero-padding ones (option A); the full
   * 50,000 training images, where the paper held out 5,000; Keras' batch-norm settings (momentum 0.99,
   * epsilon 1e-3); weight decay on convolution kernels only (the Keras example's regulariser): the L2
   * term 5e-5 x sum w^2 has the gradient 1e-4 w.
   */
  public static RunConfig paper() {
    return new RunConfig(
        "paper",
        new ModelConfig(20, 10, 5e-5, 0.99, 1e-3, 0),
        new OptimizerConfig(
            OptimizerConfig.Algorithm.SGD_MOMENTUM, 0.1, 0.9, 0.999, 1e-7, 0.9,
            OptimizerConfig.Schedule.HALF_AND_THREE_QUARTERS, 0),
        new DataConfig(true, 4, 0, DataConfig.Fill.ZERO),
        new TrainingConfig(164, 128, DEFAULT_SEED, Precision.AUTO));
  }

  /** Presets by name, in the order they are documented; never changed after start-up. */
  private static final Map<String, Supplier<RunConfig>> ALL = inOrder(
      Map.entry("keras", Presets::keras),
      Map.entry("seed", Presets::seed),
      Map.entry("fast", Presets::fast),
      Map.entry("paper", Presets::paper));

  @SafeVarargs
  private static Map<String, Supplier<RunConfig>> inOrder(Map.Entry<String, Supplier<RunConfig>>... entries) {
    var map = new LinkedHashMap<String, Supplier<RunConfig>>();
    for (var e : entries) map.put(e.getKey(), e.getValue());
    return Collections.unmodifiableMap(map);
  }

  /** The presets' names, in the order they are documented. */
  public static List<String> names() {
    return List.copyOf(ALL.keySet());
  }

  /** The preset of this name; an unknown name is refused with the known ones listed. */
  public static RunConfig byName(String name) {
    var supplier = ALL.get(name);
    if (supplier == null) {
      throw new RefusedValue("unknown preset '" + name + "'; choose one of " + String.join(", ", ALL.keySet()));
    }
    return supplier.get();
  }
}
