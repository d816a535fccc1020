package org.cifarresnet.model;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/** Keras {@code Dense(units, kernel_initializer='he_normal')}: no regularizer, as in the example. */
final class Dense {
  final String name;
  private final Variable<TFloat32> kernel;
  private final Variable<TFloat32> bias;

  Dense(ParameterStore params, int inputs, int units) {
    this.name = params.layerName("dense");
    this.kernel = params.heNormal(name + ".kernel", Shape.of(inputs, units), inputs, Parameter.Kind.WEIGHT);
    this.bias = params.filled(name + ".bias", Shape.of(units), 0f, Parameter.Kind.WEIGHT);
  }

  /** Logits; the softmax is applied by the loss and by inference. */
  Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
    return tf.math.add(tf.linalg.matMul(x, kernel), bias);
  }
}
