package org.cifarresnet.model;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * Keras {@code Conv2D(padding='same', kernel_initializer='he_normal', kernel_regularizer=l2)} with
 * bias. Kernel layout HWIO, data NHWC. TensorFlow's SAME padding for a stride-2 3x3 convolution on
 * an even size pads 0 before and 1 after, unlike PyTorch's symmetric padding=1.
 */
final class Conv2D {
  final String name;
  private final Variable<TFloat32> kernel;
  private final Variable<TFloat32> bias;
  private final int stride;

  Conv2D(ParameterStore params, int kernelSize, int inChannels, int filters, int stride) {
    this.name = params.layerName("conv2d");
    this.stride = stride;
    this.kernel =
        params.heNormal(
            name + ".kernel",
            Shape.of(kernelSize, kernelSize, inChannels, filters),
            (long) kernelSize * kernelSize * inChannels,
            Parameter.Kind.KERNEL);
    this.bias = params.filled(name + ".bias", Shape.of(filters), 0f, Parameter.Kind.WEIGHT);
  }

  Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x) {
    return tf.nn.biasAdd(convolve(tf, x, kernel), bias);
  }

  /** A per-output-channel map x * scale + shift. */
  record Affine(Operand<TFloat32> scale, Operand<TFloat32> shift) {}

  /**
   * This convolution, then {@code then}, as one convolution: conv(x, kernel * scale) + bias * scale +
   * shift. Inference folds batch norm in so: one pass over the activations fewer, and oneDNN's
   * inference batch norm, which took 20 ms where the training one takes 0.7 on the same tensor on a
   * Zen 5 VM (docs/speed.md), never runs.
   */
  Operand<TFloat32> applyThen(Ops tf, Operand<TFloat32> x, Affine then) {
    Operand<TFloat32> scaledKernel = tf.math.mul(kernel, then.scale()); // HWIO: scales the O axis
    return tf.nn.biasAdd(convolve(tf, x, scaledKernel), tf.math.add(tf.math.mul(bias, then.scale()), then.shift()));
  }

  private Operand<TFloat32> convolve(Ops tf, Operand<TFloat32> x, Operand<TFloat32> k) {
    return tf.nn.conv2d(x, k, List.of(1L, (long) stride, (long) stride, 1L), "SAME");
  }
}
