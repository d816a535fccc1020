package org.cifarresnet.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.cifarresnet.config.Precision;
import org.cifarresnet.config.Presets;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TUint8;

/** The moving average of the weights: its arithmetic, what it covers, and that evaluating it changes nothing else. */
class WeightAverageTest {
  private static final double DECAY = 0.9;

  @Test
  void theAverageFollowsTheWeightsStepByStep() {
    var config = Presets.fast();
    byte[] pixels = new byte[16 * 32 * 32 * 3];
    new Random(4).nextBytes(pixels);
    int[] labels = new Random(5).ints(16, 0, 10).toArray();
    try (var model = new CifarModel(config.model(), config.optimizer(), 1, Precision.FP32, 1, DECAY);
        var images = TUint8.tensorOf(Shape.of(16, 32, 32, 3), DataBuffers.of(pixels, true, false));
        var y = TInt32.tensorOf(Shape.of(16), DataBuffers.of(labels, true, false))) {
      assertTrue(model.averaging());
      List<Parameter> averaged = model.parameters().stream()
          .filter(p -> p.kind().trainable() || p.kind() == Parameter.Kind.MOVING_STAT).toList();
      assertEquals(averaged.size(), model.averagedWeights().size(), "weights and batch-norm statistics");
      Map<String, float[]> expected = null;
      for (int step = 0; step < 25; step++) {
        model.trainStep(images, y, 0.05f);
        model.updateAverage(DECAY, step);
        Map<String, float[]> weights = model.read(averaged);
        if (expected == null) {
          expected = weights; // decay 0 at step 0: the average starts at the first weights
          continue;
        }
        double d = Math.min(DECAY, step / (step + 10.0));
        for (var e : expected.entrySet()) {
          float[] a = e.getValue();
          float[] w = weights.get(e.getKey());
          for (int i = 0; i < a.length; i++) a[i] = (float) (a[i] - (1 - d) * (a[i] - w[i]));
        }
      }
      Map<String, float[]> got = model.averagedWeights();
      for (var e : expected.entrySet()) assertArrayEquals(e.getValue(), got.get(e.getKey()), 1e-5f, e.getKey());

      // Evaluating with the average puts the current weights back exactly.
      Map<String, float[]> before = model.read(model.parameters());
      float[] withAverage = model.withAveragedWeights(() -> model.probabilities(images));
      float[] withCurrent = model.probabilities(images);
      Map<String, float[]> after = model.read(model.parameters());
      for (var e : before.entrySet()) assertArrayEquals(e.getValue(), after.get(e.getKey()), e.getKey());
      assertFalse(Arrays.equals(withAverage, withCurrent), "the average is another model");
    }
  }

  @Test
  void withoutADecayThereIsNoAverage() {
    var config = Presets.fast();
    try (var model = new CifarModel(config.model(), config.optimizer(), 1, Precision.FP32, 1)) {
      assertFalse(model.averaging());
      assertTrue(model.averagedWeights().isEmpty());
      assertTrue(model.parameters().stream().noneMatch(p -> p.name().startsWith("optimizer.average.")));
    }
  }
}
