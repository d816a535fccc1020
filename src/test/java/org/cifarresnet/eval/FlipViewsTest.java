package org.cifarresnet.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import java.util.Random;
import org.cifarresnet.config.Precision;
import org.cifarresnet.config.Presets;
import org.cifarresnet.data.Split;
import org.cifarresnet.model.CifarModel;
import org.junit.jupiter.api.Test;

/** Test-time augmentation by flip: the mirrored view, and the evaluator's average of the two views. */
class FlipViewsTest {
  private static final List<String> NAMES = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");

  @Test
  void mirroringReversesEachRowAndKeepsChannelsTogether() {
    byte[] images = new byte[2 * Split.IMAGE_BYTES];
    new Random(1).nextBytes(images);
    byte[] mirrored = FlipViews.mirrored(images, Split.IMAGE_BYTES, 1); // the second image only
    assertEquals(Split.IMAGE_BYTES, mirrored.length);
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        for (int c = 0; c < 3; c++) {
          assertEquals(images[Split.IMAGE_BYTES + (y * 32 + 31 - x) * 3 + c], mirrored[(y * 32 + x) * 3 + c]);
        }
      }
    }
    byte[] twice = FlipViews.mirrored(FlipViews.mirrored(images, 0, 2), 0, 2);
    assertArrayEquals(images, twice);
  }

  @Test
  void theEvaluatorAveragesThePlainAndTheMirroredSetsProbabilities() {
    var random = new Random(2);
    byte[] pixels = new byte[12 * Split.IMAGE_BYTES];
    random.nextBytes(pixels);
    byte[] labels = new byte[12];
    for (int i = 0; i < labels.length; i++) labels[i] = (byte) random.nextInt(10);
    Split plain = new Split(pixels, labels);
    Split mirrored = new Split(FlipViews.mirrored(pixels, 0, 12), labels);
    try (var model = new CifarModel(Presets.keras().model(), null, 3, Precision.FP32, 1);
        var onPlain = new Evaluator(plain, NAMES, 5); // batches of 5, 5 and 2
        var onMirrored = new Evaluator(mirrored, NAMES, 5)) {
      Evaluation a = onPlain.evaluate(model);
      Evaluation b = onMirrored.evaluate(model);
      Evaluation both = onPlain.evaluate(model, true);
      assertNotEquals(a.probabilities()[0], b.probabilities()[0], "random images are not symmetric");
      for (int i = 0; i < a.probabilities().length; i++) {
        assertEquals((a.probabilities()[i] + b.probabilities()[i]) / 2, both.probabilities()[i], 1e-6, "value " + i);
      }
      double loss = 0;
      for (int i = 0; i < 12; i++) loss -= Math.log(both.probabilities()[i * 10 + labels[i]]);
      assertEquals(loss / 12 + model.l2Term(), both.loss(), 1e-5);
      assertArrayEquals(a.probabilities(), onPlain.evaluate(model).probabilities(), "the plain view is unchanged after");

      // Both views from one pass each: the same figures as the two separate evaluations.
      Evaluator.Views views = onPlain.evaluateBothViews(model);
      assertArrayEquals(a.probabilities(), views.plain().probabilities());
      assertEquals(a.loss(), views.plain().loss(), 1e-9);
      assertEquals(a.accuracy(), views.plain().accuracy());
      assertArrayEquals(both.probabilities(), views.flipAveraged().probabilities());
      assertEquals(both.loss(), views.flipAveraged().loss(), 1e-9);
      assertEquals(both.accuracy(), views.flipAveraged().accuracy());
      assertArrayEquals(a.confusion(), views.plain().confusion());
      assertArrayEquals(both.confusion(), views.flipAveraged().confusion());
    }
  }
}
