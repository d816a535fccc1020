package org.cifarresnet.model;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.types.TFloat32;

/**
 * Keras {@code BatchNormalization()} over the channel axis. In training it normalises with the
 * batch's statistics, through the fused kernel, and adds to {@code updates} the moving-average
 * assignments Keras makes: new = momentum * old + (1 - momentum) * batch (the batch variance is the
 * unbiased one the fused op returns, as in Keras). In inference it is an affine map folded into the
 * convolution before it.
 */
final class BatchNorm {
  final String name;
  private final Variable<TFloat32> gamma;
  private final Variable<TFloat32> beta;
  private final Variable<TFloat32> movingMean;
  private final Variable<TFloat32> movingVariance;
  private final float momentum;
  private final float epsilon;
  private final boolean fuseRelu;

  /** @param fuseRelu train with ReLU in one kernel ({@link BatchNormRelu}); else batch norm then ReLU */
  BatchNorm(ParameterStore params, int channels, double momentum, double epsilon, boolean fuseRelu) {
    this.name = params.layerName("batch_normalization");
    Shape shape = Shape.of(channels);
    this.gamma = params.filled(name + ".gamma", shape, 1f, Parameter.Kind.WEIGHT);
    this.beta = params.filled(name + ".beta", shape, 0f, Parameter.Kind.WEIGHT);
    this.movingMean = params.filled(name + ".moving_mean", shape, 0f, Parameter.Kind.MOVING_STAT);
    this.movingVariance = params.filled(name + ".moving_variance", shape, 1f, Parameter.Kind.MOVING_STAT);
    this.momentum = (float) momentum;
    this.epsilon = (float) epsilon;
    this.fuseRelu = fuseRelu;
  }

  /** Batch norm with the batch's own statistics, as in training; the moving-average updates go to {@code updates}. */
  Operand<TFloat32> train(Ops tf, Operand<TFloat32> x, List<Op> updates) {
    // The mean and variance inputs must be empty; the op computes the batch's own.
    Operand<TFloat32> empty = tf.constant(new float[0]);
    var bn =
        tf.nn.fusedBatchNorm(x, gamma, beta, empty, empty,
            FusedBatchNorm.epsilon(epsilon), FusedBatchNorm.isTraining(true));
    addMovingAverageUpdates(tf, bn.batchMean(), bn.batchVariance(), updates);
    return bn.y();
  }

  /** relu(train(x)); through one fused kernel ({@link BatchNormRelu}) if so built, else as two ops. */
  Operand<TFloat32> trainRelu(Ops tf, Operand<TFloat32> x, List<Op> updates) {
    if (!fuseRelu) return tf.nn.relu(train(tf, x, updates));
    var bn = BatchNormRelu.training(tf, x, gamma, beta, epsilon);
    addMovingAverageUpdates(tf, bn.batchMean(), bn.batchVariance(), updates);
    return bn.y();
  }

  /**
   * In inference, with the moving statistics, batch norm is a per-channel affine map, x * scale +
   * shift, which the preceding convolution absorbs ({@link Conv2D#applyThen}).
   */
  Conv2D.Affine inference(Ops tf) {
    Operand<TFloat32> scale = tf.math.mul(gamma, tf.math.rsqrt(tf.math.add(movingVariance, tf.constant(epsilon))));
    return new Conv2D.Affine(scale, tf.math.sub(beta, tf.math.mul(movingMean, scale)));
  }

  private void addMovingAverageUpdates(
      Ops tf, Operand<TFloat32> batchMean, Operand<TFloat32> batchVariance, List<Op> updates) {
    var rate = tf.constant(1f - momentum);
    updates.add(tf.assignSub(movingMean, tf.math.mul(tf.math.sub(movingMean, batchMean), rate)));
    updates.add(tf.assignSub(movingVariance, tf.math.mul(tf.math.sub(movingVariance, batchVariance), rate)));
  }
}
