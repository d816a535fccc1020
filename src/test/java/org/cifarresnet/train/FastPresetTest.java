package org.cifarresnet.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.cifarresnet.config.Precision;
import org.cifarresnet.config.Presets;
import org.cifarresnet.config.RunConfig;
import org.cifarresnet.model.CifarModel;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TUint8;

/**
 * The SGD presets' optimizers train: the fast preset's (Nesterov SGD, label smoothing) and the paper
 * preset's (classical momentum) each fit a small fixed batch.
 */
class FastPresetTest {
  @Test
  void nesterovSgdWithLabelSmoothingFitsAFixedBatch() {
    fitsAFixedBatch(Presets.fast());
  }

  @Test
  void classicalMomentumSgdFitsAFixedBatch() {
    fitsAFixedBatch(Presets.paper());
  }

  private static void fitsAFixedBatch(RunConfig config) {
    byte[] pixels = new byte[32 * 32 * 32 * 3];
    new Random(4).nextBytes(pixels);
    int[] labels = new Random(5).ints(32, 0, 10).toArray();
    try (var model = new CifarModel(config.model(), config.optimizer(), 1, Precision.FP32, 1);
        var images = TUint8.tensorOf(Shape.of(32, 32, 32, 3), DataBuffers.of(pixels, true, false));
        var y = TInt32.tensorOf(Shape.of(32), DataBuffers.of(labels, true, false))) {
      float first = model.trainStep(images, y, 0.05f).loss();
      CifarModel.StepResult last = null;
      for (int i = 0; i < 40; i++) last = model.trainStep(images, y, 0.05f);
      assertTrue(last.loss() < first / 2, first + " -> " + last.loss());
      assertTrue(last.correct() >= 30, "fits the batch: " + last.correct() + "/32");
    }
  }
}
