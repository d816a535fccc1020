package org.cifarresnet.model;

import java.util.ArrayList;
import java.util.List;
import org.cifarresnet.config.ModelConfig;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * ResNet v1 for CIFAR-10 (He et al., "Deep Residual Learning for Image Recognition", 2015,
 * section 4.2), exactly as the Keras {@code cifar10_resnet} example builds it.
 *
 * <pre>
 *   output map size |  32x32  |  16x16  |  8x8
 *   layers          |  1 + 2n |   2n    |  2n
 *   filters         |   16    |   32    |  64
 * </pre>
 *
 * A 3x3 convolution, then three stages of n residual blocks, then global average pooling over the
 * 8x8 map and a 10-way fully-connected layer: depth = 6n + 2 weighted layers. Each block is
 * conv3x3-BN-ReLU, conv3x3-BN, add the shortcut, ReLU. The shortcut is the identity, except in the
 * first block of stages 2 and 3, which halves the map with stride 2: there it is a 1x1 convolution
 * with stride 2 and no batch norm (the Keras example's choice; the paper's option B, with bias).
 *
 * <p>ResNet20 (n = 3) has 273,066 trainable parameters, 274,442 with the batch-norm moving
 * statistics, the Keras example's counts.
 */
public final class ResNetV1 {
  private static final int[] STAGE_FILTERS = {16, 32, 64};

  private final ConvBn stem;
  private final List<ResidualBlock> blocks = new ArrayList<>();
  private final Dense classifier;

  /** The network without the fused training kernel: for inference graphs, where grappler fuses by itself. */
  public ResNetV1(ParameterStore params, ModelConfig config) {
    this(params, config, false);
  }

  /**
   * @param fuseBatchNormRelu train batch norm + ReLU as one kernel ({@link BatchNormRelu}); only where
   *     {@link BatchNormRelu#available} says the engine runs it in the model's precision
   */
  ResNetV1(ParameterStore params, ModelConfig config, boolean fuseBatchNormRelu) {
    double momentum = config.bnMomentum();
    double epsilon = config.bnEpsilon();
    stem = new ConvBn(params, 3, 3, STAGE_FILTERS[0], 1, momentum, epsilon, fuseBatchNormRelu);
    int inChannels = STAGE_FILTERS[0];
    for (int stage = 0; stage < STAGE_FILTERS.length; stage++) {
      for (int block = 0; block < config.blocksPerStage(); block++) {
        int stride = (stage > 0 && block == 0) ? 2 : 1; // downsample at the start of stages 2 and 3
        blocks.add(new ResidualBlock(params, inChannels, STAGE_FILTERS[stage], stride, momentum, epsilon, fuseBatchNormRelu));
        inChannels = STAGE_FILTERS[stage];
      }
    }
    classifier = new Dense(params, inChannels, config.classes());
  }

  /**
   * Logits for a batch of preprocessed NHWC images. In training mode the batch-norm moving-average
   * updates are added to {@code updates}; they must run with the training step.
   */
  public Operand<TFloat32> logits(Ops tf, Operand<TFloat32> images, Mode mode, List<Op> updates) {
    Operand<TFloat32> x = stem.applyRelu(tf, images, mode, updates); // 32x32x16
    for (ResidualBlock block : blocks) {
      x = block.apply(tf, x, mode, updates); // 32x32x16, then 16x16x32, then 8x8x64
    }
    Operand<TFloat32> pooled = tf.math.mean(x, tf.constant(new int[] {1, 2})); // 8x8 average pool -> 64
    return classifier.apply(tf, pooled);
  }

  /** Convolution then batch norm, and ReLU where the block has one right after the batch norm. */
  private static final class ConvBn {
    private final Conv2D conv;
    private final BatchNorm bn;

    ConvBn(ParameterStore params, int kernel, int in, int filters, int stride, double momentum, double eps, boolean fuse) {
      conv = new Conv2D(params, kernel, in, filters, stride);
      bn = new BatchNorm(params, filters, momentum, eps, fuse);
    }

    Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, Mode mode, List<Op> updates) {
      if (mode == Mode.INFERENCE) return conv.applyThen(tf, x, bn.inference(tf));
      return bn.train(tf, conv.apply(tf, x), updates);
    }

    Operand<TFloat32> applyRelu(Ops tf, Operand<TFloat32> x, Mode mode, List<Op> updates) {
      if (mode == Mode.INFERENCE) return tf.nn.relu(apply(tf, x, mode, updates)); // grappler fuses it into the convolution
      return bn.trainRelu(tf, conv.apply(tf, x), updates);
    }
  }

  /** conv3x3-BN-ReLU, conv3x3-BN, + shortcut, ReLU. Layers are created in the Keras example's order. */
  private static final class ResidualBlock {
    private final ConvBn first;
    private final ConvBn second;
    private final Conv2D projection; // null: identity shortcut

    ResidualBlock(ParameterStore params, int in, int filters, int stride, double momentum, double eps, boolean fuse) {
      first = new ConvBn(params, 3, in, filters, stride, momentum, eps, fuse);
      second = new ConvBn(params, 3, filters, filters, 1, momentum, eps, fuse);
      projection = stride != 1 || in != filters ? new Conv2D(params, 1, in, filters, stride) : null;
    }

    Operand<TFloat32> apply(Ops tf, Operand<TFloat32> x, Mode mode, List<Op> updates) {
      Operand<TFloat32> y = first.applyRelu(tf, x, mode, updates);
      y = second.apply(tf, y, mode, updates);
      Operand<TFloat32> shortcut = projection == null ? x : projection.apply(tf, x);
      return tf.nn.relu(tf.math.add(shortcut, y));
    }
  }
}
