package org.cifarresnet.model;

import java.util.ArrayList;
import java.util.List;
import org.cifarresnet.config.OptimizerConfig;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.train.ApplyMomentum;
import org.tensorflow.types.TFloat32;

/**
 * SGD with momentum, as graph ops (TF's fused ApplyMomentum kernel). Classical momentum (He et al.,
 * the paper preset): a = m a + g, w -= lr a. Nesterov momentum (the fast preset): a = m a + g,
 * w -= lr (g + m a). Weight decay comes from the loss's L2 term.
 */
final class MomentumSgd {
  private MomentumSgd() {}

  static Op minimize(
      Ops tf, ParameterStore store, List<Parameter> params, List<Operand<TFloat32>> gradients,
      Operand<TFloat32> learningRate, OptimizerConfig config) {
    boolean nesterov = config.algorithm() == OptimizerConfig.Algorithm.SGD_NESTEROV;
    // As for Adam: updates wait for every gradient, since reference variables would race with backprop.
    Ops afterGradients = tf.withControlDependencies(gradients.stream().map(g -> (Op) tf.identity(g)).toList());
    Operand<TFloat32> momentum = tf.constant((float) config.momentum());
    List<Op> updates = new ArrayList<>();
    for (int i = 0; i < params.size(); i++) {
      Parameter p = params.get(i);
      var accumulator = store.filled("optimizer." + p.name() + ".momentum", p.shape(), 0f, Parameter.Kind.OPTIMIZER);
      updates.add(
          afterGradients.train.applyMomentum(
              p.variable(), accumulator, learningRate, gradients.get(i), momentum, ApplyMomentum.useNesterov(nesterov)));
    }
    return tf.withControlDependencies(updates).noOp();
  }
}
