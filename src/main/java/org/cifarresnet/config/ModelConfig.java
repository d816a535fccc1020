package org.cifarresnet.config;

import org.cifarresnet.util.RefusedValue;

/**
 * The network's shape and its regularisation, as in the Keras {@code cifar10_resnet} example.
 *
 * @param depth total weighted layers, 6n+2 (20, 32, 44, 56, 110 in He et al. section 4.2)
 * @param classes number of output classes (10 for CIFAR-10)
 * @param l2 weight of the L2 term on convolution kernels (Keras: {@code l2(1e-4)}); dense and biases are not decayed
 * @param bnMomentum batch-norm moving-average momentum (Keras default 0.99)
 * @param bnEpsilon batch-norm epsilon (Keras default 1e-3; PyTorch uses 1e-5)
 * @param labelSmoothing share of the target probability spread evenly over all classes in the
 *     training loss (0: none, as in the Keras example)
 */
public record ModelConfig(int depth, int classes, double l2, double bnMomentum, double bnEpsilon, double labelSmoothing) {
  public ModelConfig {
    if (depth < 8 || (depth - 2) % 6 != 0) {
      throw new RefusedValue("depth should be 6n+2 (20, 32, 44, 56, 110), got " + depth);
    }
    Check.positive("classes", classes);
    Check.range("l2", l2, 0, 1);
    Check.range("bnMomentum", bnMomentum, 0, 1);
    Check.range("bnEpsilon", bnEpsilon, 1e-12, 1);
    Check.range("labelSmoothing", labelSmoothing, 0, 0.5);
  }

  /** Residual blocks per stage: n in depth = 6n+2. */
  public int blocksPerStage() {
    return (depth - 2) / 6;
  }

  public ModelConfig withLabelSmoothing(double newLabelSmoothing) {
    return new ModelConfig(depth, classes, l2, bnMomentum, bnEpsilon, newLabelSmoothing);
  }

  public ModelConfig withDepth(int newDepth) {
    return new ModelConfig(newDepth, classes, l2, bnMomentum, bnEpsilon, labelSmoothing);
  }
}
