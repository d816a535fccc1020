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
    var conv = tf.nn.conv2d(x, kernel, List.of(1L, (long) stride, (long) stride, 1L), "SAME");
    return tf.nn.biasAdd(conv, bias);
  }
}
