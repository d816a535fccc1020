package org.cifarresnet.model;

import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A named float32 variable of the graph.
 *
 * @param name stable name, Keras style ({@code conv2d_3.kernel}); checkpoints are keyed by it
 * @param variable the graph variable
 * @param kind what the variable is for
 */
public record Parameter(String name, Variable<TFloat32> variable, Kind kind) {
  /** What a variable is for; decides training, decay and what a checkpoint keeps. */
  public enum Kind {
    /** Convolution kernel: trained and L2-decayed. */
    KERNEL,
    /** Bias, batch-norm gamma and beta, dense weights: trained, not decayed. */
    WEIGHT,
    /** Batch-norm moving mean and variance: updated by training steps, not by gradients. */
    MOVING_STAT,
    /** Input statistics such as the training-set mean image: set once, used by inference. */
    INPUT_STAT,
    /** Optimizer state (Adam moments, step count): needed to resume, not to predict. */
    OPTIMIZER;

    public boolean trainable() {
      return this == KERNEL || this == WEIGHT;
    }

    /** Needed to predict: everything but the optimizer's state. */
    public boolean partOfModel() {
      return this != OPTIMIZER;
    }
  }

  public Shape shape() {
    return variable.shape();
  }

  public long size() {
    return shape().size();
  }
}
