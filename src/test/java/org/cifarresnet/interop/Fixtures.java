package org.cifarresnet.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.cifarresnet.checkpoint.Checkpoint;
import org.cifarresnet.checkpoint.CheckpointInfo;
import org.cifarresnet.checkpoint.Provenance;
import org.cifarresnet.cli.Cli;
import org.cifarresnet.config.Precision;
import org.cifarresnet.config.Presets;
import org.cifarresnet.config.RunConfig;
import org.cifarresnet.eval.ModelLoader;
import org.cifarresnet.model.CifarModel;
import org.cifarresnet.model.Parameter;
import org.cifarresnet.train.TrainingState;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TUint8;

/** Checkpoints with random weights, random images, predictions and a captured command line, for the interop tests. */
final class Fixtures {
  private Fixtures() {}

  /**
   * Saves a checkpoint of the keras preset's network at this depth with random weights, batch-norm
   * statistics and mean image, so that every variable's place matters to the predictions.
   */
  static Path randomCheckpoint(Path file, int depth, long seed) {
    RunConfig keras = Presets.keras();
    RunConfig config = keras.with(keras.model().withDepth(depth));
    Random rnd = new Random(seed);
    try (var model = new CifarModel(config.model(), null, seed, Precision.FP32, 1)) {
      Map<String, float[]> values = new HashMap<>();
      for (Parameter p : model.parameters()) {
        float[] v = new float[(int) p.size()];
        String role = p.name().substring(p.name().indexOf('.') + 1);
        long fanIn = p.shape().numDimensions() > 1 ? p.size() / p.shape().get(p.shape().numDimensions() - 1) : 1;
        for (int i = 0; i < v.length; i++) {
          v[i] = switch (role) {
            case "kernel" -> (float) (rnd.nextGaussian() * Math.sqrt(2.0 / fanIn));
            case "gamma" -> 1f + 0.2f * (float) rnd.nextGaussian();
            case "moving_variance" -> 0.5f + rnd.nextFloat();
            case "mean_image" -> 0.3f + 0.4f * rnd.nextFloat();
            default -> 0.1f * (float) rnd.nextGaussian(); // bias, beta, moving_mean
          };
        }
        values.put(p.name(), v);
      }
      model.write(values);
      var info = new CheckpointInfo(CheckpointInfo.FORMAT, "best", config, TrainingState.start(),
          KerasImport.noData("a test"), Provenance.current(1, Precision.FP32), "2026-11-26T00:00:00Z");
      Checkpoint.save(file, model, info, false);
    }
    return file;
  }

  static byte[] images(int n, long seed) {
    byte[] pixels = new byte[n * 32 * 32 * 3];
    new Random(seed).nextBytes(pixels);
    return pixels;
  }

  /** The class probabilities [n * 10] that a run directory's or checkpoint's model gives. */
  static float[] probabilities(Path model, byte[] pixels) {
    int n = pixels.length / 3072;
    try (var loaded = ModelLoader.load(model, Precision.FP32, 1);
        var batch = TUint8.tensorOf(Shape.of(n, 32, 32, 3), DataBuffers.of(pixels, true, false))) {
      return loaded.model().probabilities(batch);
    }
  }

  /**
   * The imported run's log-probabilities for three random images are the Keras fixture's logits
   * (the network computed independently, with this mean image) up to a constant per image.
   */
  static void assertImportedLogits(Path run, KerasFixture keras, float[] mean) {
    byte[] images = images(3, 2);
    float[] probs = probabilities(run, images);
    for (int i = 0; i < 3; i++) {
      double[] expected = centred(keras.logits(images, i * 3072, mean));
      double[] got = new double[10];
      for (int c = 0; c < 10; c++) got[c] = Math.log(probs[i * 10 + c]);
      got = centred(got);
      for (int c = 0; c < 10; c++) {
        assertEquals(expected[c], got[c], 2e-3 * Math.max(1, Math.abs(expected[c])), "image " + i + " class " + c);
      }
    }
  }

  private static double[] centred(double[] z) {
    double m = Arrays.stream(z).average().orElseThrow();
    return Arrays.stream(z).map(v -> v - m).toArray();
  }

  /** A float32 .npy file, as numpy.save writes it. */
  static Path npy(Path file, long[] shape, float[] data) throws Exception {
    return Files.write(file, KerasFixture.npy(shape, data));
  }

  /**
   * The bad-input contract: exit {@code exit}, one line that starts with "error: " and names each of
   * {@code mentions}, no stack trace, {@code output} not written and no temporary file left in {@code dir}.
   */
  static void assertRefusedCleanly(Cli.Outcome r, int exit, Path output, Path dir, String... mentions) throws IOException {
    assertEquals(exit, r.exit(), r.err());
    assertEquals(1, r.errLines().size(), "one line: " + r.err());
    assertTrue(r.err().startsWith("error: "), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    for (String m : mentions) assertTrue(r.err().contains(m), "mentions '" + m + "': " + r.err());
    assertFalse(Files.exists(output), "nothing written");
    try (Stream<Path> left = Files.list(dir)) {
      assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith(".")), "no temporary files left");
    }
  }
}
