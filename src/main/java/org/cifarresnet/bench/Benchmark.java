package org.cifarresnet.bench;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.cifarresnet.config.ModelConfig;
import org.cifarresnet.config.OptimizerConfig;
import org.cifarresnet.config.Precision;
import org.cifarresnet.model.CifarModel;
import org.cifarresnet.platform.Device;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TUint8;

/**
 * Times training steps (forward, backward, Adam, batch-norm updates) and inference on one fixed
 * random batch, as the PyTorch peer's pytorch_bench.py does, and reports medians.
 */
public final class Benchmark {
  private Benchmark() {}

  /**
   * @param trainImagesPerSecond batch size over the median training step time
   * @param evalImagesPerSecond eval batch size over the median inference time
   * @param medianStepSeconds median training step time
   * @param medianEvalSeconds median inference time for one eval batch
   * @param profile kernel times of traced training steps, null when none were asked for
   */
  public record Result(
      double trainImagesPerSecond, double evalImagesPerSecond, double medianStepSeconds, double medianEvalSeconds,
      StepProfile profile) {
    /** Seconds an epoch of {@code train} training and {@code test} test images would take at these rates. */
    public double epochSeconds(int train, int test) {
      return train / trainImagesPerSecond + test / evalImagesPerSecond;
    }
  }

  public static Result run(
      ModelConfig model, OptimizerConfig optimizer, Precision precision, int threads, int batchSize, int evalBatchSize,
      int warmup, int steps, int profileSteps) {
    return run(model, optimizer, precision, threads, Device.CPU, batchSize, evalBatchSize, warmup, steps, profileSteps);
  }

  /** As above, on {@code device} (CPU or GPU). */
  public static Result run(
      ModelConfig model, OptimizerConfig optimizer, Precision precision, int threads, Device device, int batchSize,
      int evalBatchSize, int warmup, int steps, int profileSteps) {
    try (var cifar = new CifarModel(model, optimizer, 1, precision, threads, 0, device);
        var images = randomImages(batchSize);
        var labels = randomLabels(batchSize);
        var evalImages = randomImages(evalBatchSize);
        var evalLabels = randomLabels(evalBatchSize)) {
      double[] stepTimes = new double[steps];
      for (int i = 0; i < warmup + steps; i++) {
        long began = System.nanoTime();
        cifar.trainStep(images, labels, 1e-3f);
        if (i >= warmup) stepTimes[i - warmup] = (System.nanoTime() - began) / 1e9;
      }
      int evalRuns = Math.max(3, steps / 4);
      double[] evalTimes = new double[evalRuns];
      for (int i = 0; i < 1 + evalRuns; i++) {
        long began = System.nanoTime();
        cifar.infer(evalImages, evalLabels);
        if (i >= 1) evalTimes[i - 1] = (System.nanoTime() - began) / 1e9;
      }
      double step = median(stepTimes);
      double eval = median(evalTimes);
      // Traced steps come last: tracing slows them, and the timed steps above stay untraced.
      StepProfile profile = null;
      if (profileSteps > 0) {
        profile = new StepProfile();
        for (int i = 0; i < profileSteps; i++) profile.add(cifar.tracedTrainStep(images, labels, 1e-3f));
      }
      return new Result(batchSize / step, evalBatchSize / eval, step, eval, profile);
    }
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static TUint8 randomImages(int n) {
    byte[] pixels = new byte[n * 32 * 32 * 3];
    new SplittableRandom(42).nextBytes(pixels);
    return TUint8.tensorOf(Shape.of(n, 32, 32, 3), DataBuffers.of(pixels, true, false));
  }

  private static TInt32 randomLabels(int n) {
    int[] labels = new SplittableRandom(43).ints(n, 0, 10).toArray();
    return TInt32.tensorOf(Shape.of(n), DataBuffers.of(labels, true, false));
  }
}
