package org.cifarresnet.model;

import java.util.ArrayList;
import java.util.List;
import org.cifarresnet.config.OptimizerConfig;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Keras' Adam, as graph ops: for step t = iterations + 1,
 * m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g^2, w -= lr sqrt(1 - b2^t) / (1 - b1^t) m / (sqrt(v) + eps).
 * The fused {@code ApplyAdam} kernel computes exactly this. Written here rather than taken from TF
 * Java's framework because that one uses epsilon 1e-8 (Keras: 1e-7), takes every variable of the
 * graph, batch-norm statistics included, and does not order its step counters after the updates.
 */
final class Adam {
  private Adam() {}

  /**
   * The op that applies one Adam step to {@code params} given their {@code gradients}; the step
   * counter is incremented only after every update has read it.
   */
  static Op minimize(
      Ops tf, ParameterStore store, List<Parameter> params, List<Operand<TFloat32>> gradients,
      Operand<TFloat32> learningRate, OptimizerConfig config) {
    var iterations = store.filled("optimizer.iterations", Shape.scalar(), 0f, Parameter.Kind.OPTIMIZER);
    Operand<TFloat32> t = tf.math.add(iterations, tf.constant(1f));
    Operand<TFloat32> beta1 = tf.constant((float) config.beta1());
    Operand<TFloat32> beta2 = tf.constant((float) config.beta2());
    Operand<TFloat32> beta1Power = tf.math.pow(beta1, t);
    Operand<TFloat32> beta2Power = tf.math.pow(beta2, t);
    Operand<TFloat32> epsilon = tf.constant((float) config.epsilon());

    // Variables are reference-style: an update could run while a gradient of an earlier layer
    // still has to read the weight it changes. Updates therefore wait for every gradient.
    Ops afterGradients = tf.withControlDependencies(gradients.stream().map(g -> (Op) tf.identity(g)).toList());
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < params.size(); i++) {
      Parameter p = params.get(i);
      var m = store.filled("optimizer." + p.name() + ".m", p.shape(), 0f, Parameter.Kind.OPTIMIZER);
      var v = store.filled("optimizer." + p.name() + ".v", p.shape(), 0f, Parameter.Kind.OPTIMIZER);
      updates.add(
          afterGradients.train.applyAdam(
              p.variable(), m, v, beta1Power, beta2Power, learningRate, beta1, beta2, epsilon, gradients.get(i)));
    }
    return tf.withControlDependencies(updates).assignAdd(iterations, tf.constant(1f));
  }
}
