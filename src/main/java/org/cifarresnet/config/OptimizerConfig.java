package org.cifarresnet.config;

/**
 * Adam and its learning-rate schedule, as the Keras example uses them.
 *
 * @param lr base learning rate (Keras example: 1e-3)
 * @param beta1 first-moment decay (Keras: 0.9)
 * @param beta2 second-moment decay (Keras: 0.999)
 * @param epsilon added to the root of the second moment (Keras: 1e-7; TF Java's framework Adam: 1e-8)
 * @param schedule how the rate changes with the epoch
 */
public record OptimizerConfig(double lr, double beta1, double beta2, double epsilon, Schedule schedule) {
  public OptimizerConfig {
    Check.positive("lr", lr);
    Check.range("beta1", beta1, 0, 0.999999);
    Check.range("beta2", beta2, 0, 0.9999999);
    Check.positive("epsilon", epsilon);
    if (schedule == null) throw new IllegalArgumentException("schedule is required");
  }

  public OptimizerConfig withLr(double newLr) {
    return new OptimizerConfig(newLr, beta1, beta2, epsilon, schedule);
  }

  /** Learning-rate schedules. */
  public enum Schedule {
    /**
     * The Keras example's {@code lr_schedule}: x0.1 when the 0-based epoch is over 80, x0.01 over
     * 120, x0.001 over 160, x0.0005 over 180. Its ReduceLROnPlateau is not modelled: the example's
     * LearningRateScheduler resets the rate at every epoch start, which undoes the reducer, so the
     * rate that trains is exactly this step schedule (see shared/notes/keras-recipe.md).
     */
    KERAS_STEP,
    /** The base rate throughout. */
    CONSTANT;

    /** The rate for a 0-based epoch. */
    public double lr(double base, int epoch) {
      if (this == CONSTANT) return base;
      double factor = 1;
      if (epoch > 180) factor = 0.5e-3;
      else if (epoch > 160) factor = 1e-3;
      else if (epoch > 120) factor = 1e-2;
      else if (epoch > 80) factor = 1e-1;
      return base * factor;
    }
  }
}
