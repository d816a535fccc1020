package org.cifarresnet.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.cifarresnet.config.ModelConfig;
import org.cifarresnet.config.Precision;
import org.cifarresnet.config.Presets;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TUint8;

class ResNetV1Test {
  private static final ModelConfig RESNET20 = Presets.keras().model();

  @Test
  void resnet20HasTheKerasExampleParameterCounts() {
    try (var model = new CifarModel(RESNET20, null, 1, Precision.FP32, 0)) {
      assertEquals(273_066, model.trainableParameterCount());
      assertEquals(274_442, model.kerasParameterCount());
    }
  }

  @Test
  void layersAreNamedInKerasCreationOrder() {
    try (var model = new CifarModel(RESNET20, null, 1, Precision.FP32, 0)) {
      // 19 3x3 convolutions + 2 projections = conv2d .. conv2d_20; 19 batch norms; one dense.
      assertEquals(Shape.of(3, 3, 3, 16), model.parameter("conv2d.kernel").shape());
      // Stage 2, block 1: conv2d_7 (3x3, stride 2), conv2d_8 (3x3), conv2d_9 (1x1 projection).
      assertEquals(Shape.of(3, 3, 16, 32), model.parameter("conv2d_7.kernel").shape());
      assertEquals(Shape.of(3, 3, 32, 32), model.parameter("conv2d_8.kernel").shape());
      assertEquals(Shape.of(1, 1, 16, 32), model.parameter("conv2d_9.kernel").shape());
      assertEquals(Shape.of(1, 1, 32, 64), model.parameter("conv2d_16.kernel").shape());
      assertEquals(Shape.of(64), model.parameter("batch_normalization_18.moving_variance").shape());
      assertEquals(Shape.of(64, 10), model.parameter("dense.kernel").shape());
    }
  }

  @Test
  void deeperNetworksFollowTheSixNPlusTwoRule() {
    try (var model = new CifarModel(RESNET20.withDepth(32), null, 1, Precision.FP32, 0)) {
      // ResNet32 (n = 5): 480 + 5 x 4,704 + (14,560 + 4 x 18,624) + (57,792 + 4 x 74,112) + 650;
      // the Keras example rounds it to 0.46 M.
      assertEquals(467_946, model.trainableParameterCount());
    }
    assertThrows(IllegalArgumentException.class, () -> RESNET20.withDepth(21));
  }

  @Test
  void inferenceGivesOneProbabilityDistributionPerImage() {
    int n = 5;
    byte[] pixels = new byte[n * 32 * 32 * 3];
    new Random(3).nextBytes(pixels);
    try (var model = new CifarModel(RESNET20, null, 1, Precision.FP32, 0);
        var images = TUint8.tensorOf(Shape.of(n, 32, 32, 3), DataBuffers.of(pixels, true, false));
        var labels = TInt32.vectorOf(0, 1, 2, 3, 4)) {
      var out = model.infer(images, labels);
      assertEquals(n * 10, out.probabilities().length);
      assertEquals(n, out.losses().length);
      for (int i = 0; i < n; i++) {
        double sum = 0;
        for (int c = 0; c < 10; c++) sum += out.probabilities()[i * 10 + c];
        assertEquals(1.0, sum, 1e-4);
        assertTrue(out.losses()[i] > 0);
      }
    }
  }

  @Test
  void theSameSeedGivesTheSameInitialWeights() {
    try (var a = new CifarModel(RESNET20, null, 7, Precision.FP32, 0);
        var b = new CifarModel(RESNET20, null, 7, Precision.FP32, 0);
        var c = new CifarModel(RESNET20, null, 8, Precision.FP32, 0)) {
      float[] wa = stemKernel(a);
      assertArrayEquals(wa, stemKernel(b));
      assertTrue(!Arrays.equals(wa, stemKernel(c)));
      // he_normal: stddev sqrt(2 / 27) = 0.27 for the stem's 3x3x3 fan-in.
      double sq = 0;
      for (float w : wa) sq += w * w;
      assertEquals(Math.sqrt(2.0 / 27), Math.sqrt(sq / wa.length), 0.06);
    }
  }

  private static float[] stemKernel(CifarModel model) {
    return model.read(List.of(model.parameter("conv2d.kernel"))).get("conv2d.kernel");
  }
}
