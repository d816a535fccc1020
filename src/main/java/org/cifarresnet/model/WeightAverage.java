package org.cifarresnet.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * An exponential moving average of the weights and batch-norm statistics, as graph ops: after each
 * training step, a = a - (1 - d) (a - w). Evaluating the average instead of the last weights smooths
 * out the noise of the last steps (Polyak averaging; tf.train.ExponentialMovingAverage, timm's ModelEma).
 * The averages are optimizer state ({@code optimizer.average.<name>}): saved in {@code last.npz} to
 * resume, while {@code best.npz} keeps the averaged values under the weights' own names.
 */
final class WeightAverage {
  /** The decay at early steps, t / (t + 10), is lower, so the average is not held at the initial weights. */
  static double decayAt(double decay, long step) {
    return Math.min(decay, step / (step + 10.0));
  }

  private final List<Parameter> averaged = new ArrayList<>();
  private final Map<String, Parameter> averageOf = new LinkedHashMap<>();
  final Placeholder<TFloat32> decay;
  final Op update;

  WeightAverage(Ops tf, ParameterStore store) {
    decay = tf.withName("average_decay").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    Operand<TFloat32> rate = tf.math.sub(tf.constant(1f), decay);
    List<Op> updates = new ArrayList<>();
    for (Parameter p : List.copyOf(store.all())) {
      if (!p.kind().trainable() && p.kind() != Parameter.Kind.MOVING_STAT) continue;
      String name = "optimizer.average." + p.name();
      var average = store.filled(name, p.shape(), 0f, Parameter.Kind.OPTIMIZER);
      updates.add(tf.assignSub(average, tf.math.mul(tf.math.sub(average, p.variable()), rate)));
      averaged.add(p);
      averageOf.put(p.name(), new Parameter(name, average, Parameter.Kind.OPTIMIZER));
    }
    update = tf.withControlDependencies(updates).withName("update_average").noOp();
  }

  /** The averaged variables, as they are. */
  List<Parameter> weights() {
    return averaged;
  }

  /** The average's variable of a weight. */
  Parameter averageOf(Parameter weight) {
    return averageOf.get(weight.name());
  }
}
