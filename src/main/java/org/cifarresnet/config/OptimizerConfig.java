package org.cifarresnet.config;

import org.cifarresnet.util.RefusedValue;

/**
 * The optimizer and its learning-rate schedule.
 *
 * @param algorithm Adam (the Keras example), SGD with momentum (He et al.) or with Nesterov momentum (our fast preset)
 * @param lr base (peak) learning rate (Keras example: 1e-3)
 * @param beta1 Adam's first-moment decay (Keras: 0.9)
 * @param beta2 Adam's second-moment decay (Keras: 0.999)
 * @param epsilon Adam's term added to the root of the second moment (Keras: 1e-7; TF Java's framework: 1e-8)
 * @param momentum SGD's momentum (0.9 in He et al.); unused by Adam
 * @param schedule how the rate changes over training
 * @param warmupEpochs epochs of linear warm-up for the one-cycle schedule; unused by the others
 *     (He et al. warm up only ResNet-110, at 0.01 for 400 iterations; not modelled)
 */
public record OptimizerConfig(
    Algorithm algorithm, double lr, double beta1, double beta2, double epsilon, double momentum, Schedule schedule,
    double warmupEpochs) {
  public OptimizerConfig {
    if (algorithm == null) algorithm = Algorithm.ADAM; // checkpoints written before SGD existed
    Check.positive("lr", lr);
    Check.range("beta1", beta1, 0, 0.999999);
    Check.range("beta2", beta2, 0, 0.9999999);
    Check.positive("epsilon", epsilon);
    Check.range("momentum", momentum, 0, 0.999);
    Check.range("warmupEpochs", warmupEpochs, 0, 1000);
    if (schedule == null) throw new RefusedValue("schedule is required");
  }

  /** The Keras example's Adam. */
  public static OptimizerConfig kerasAdam() {
    return new OptimizerConfig(Algorithm.ADAM, 1e-3, 0.9, 0.999, 1e-7, 0, Schedule.KERAS_STEP, 0);
  }

  public OptimizerConfig withLr(double newLr) {
    return new OptimizerConfig(algorithm, newLr, beta1, beta2, epsilon, momentum, schedule, warmupEpochs);
  }

  /** The one-cycle schedule's shape: the peak after this many epochs of linear rise (other schedules ignore it). */
  public OptimizerConfig withWarmupEpochs(double newWarmupEpochs) {
    return new OptimizerConfig(algorithm, lr, beta1, beta2, epsilon, momentum, schedule, newWarmupEpochs);
  }

  /** The learning rate at a point of training, given as fractional 0-based epochs. */
  public double lr(double epochPosition, int totalEpochs) {
    return schedule.lr(lr, epochPosition, totalEpochs, warmupEpochs);
  }

  /** Optimizers. */
  public enum Algorithm {
    /** Keras' Adam (TF's ApplyAdam kernel). */
    ADAM,
    /** SGD with Nesterov momentum (TF's ApplyMomentum kernel, use_nesterov). */
    SGD_NESTEROV,
    /** SGD with classical momentum, as in He et al. (TF's ApplyMomentum kernel). */
    SGD_MOMENTUM
  }

  /** Learning-rate schedules. */
  public enum Schedule {
    /**
     * The Keras example's {@code lr_schedule}: x0.1 when the 0-based epoch is over 80, x0.01 over
     * 120, x0.001 over 160, x0.0005 over 180, constant within an epoch. Its ReduceLROnPlateau is
     * not modelled: the example's LearningRateScheduler resets the rate at every epoch start,
     * which undoes the reducer, so the rate that trains is exactly this step schedule (Keras
     * calls the scheduler's on_epoch_begin before every epoch; the reducer only acts at epoch ends).
     */
    KERAS_STEP,
    /** The base rate throughout. */
    CONSTANT,
    /**
     * One cycle, per step: a linear rise from 0 to the base rate over the warm-up epochs, then a
     * linear fall to 0 at the end of training (fast-training practice, e.g. airbench).
     */
    ONE_CYCLE,
    /**
     * He et al. section 4.2: the base rate divided by 10 at 32k and by 100 at 48k of 64k
     * iterations, that is after one half and three quarters of training, per step.
     */
    HALF_AND_THREE_QUARTERS;

    public double lr(double base, double epochPosition, int totalEpochs, double warmupEpochs) {
      switch (this) {
        case CONSTANT:
          return base;
        case ONE_CYCLE:
          if (epochPosition < warmupEpochs) return base * epochPosition / warmupEpochs;
          return base * Math.max(0, totalEpochs - epochPosition) / Math.max(1e-9, totalEpochs - warmupEpochs);
        case HALF_AND_THREE_QUARTERS:
          double done = epochPosition / totalEpochs;
          return done < 0.5 ? base : done < 0.75 ? base * 0.1 : base * 0.01;
        default:
          int epoch = (int) Math.floor(epochPosition);
          double factor = 1;
          if (epoch > 180) factor = 0.5e-3;
          else if (epoch > 160) factor = 1e-3;
          else if (epoch > 120) factor = 1e-2;
          else if (epoch > 80) factor = 1e-1;
          return base * factor;
      }
    }
  }
}
