package org.cifarresnet.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.cifarresnet.cli.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/** The SavedModel, loaded back with TensorFlow Java, predicts what the checkpoint predicts. */
class SavedModelExportTest {
  @TempDir Path dir;

  @Test
  void theSavedModelPredictsLikeTheCheckpoint() {
    Path checkpoint = Fixtures.randomCheckpoint(dir.resolve("model.npz"), 8, 6);
    Path out = dir.resolve("serving").resolve("1");
    var r = Cli.run("export", checkpoint.toString(), "--format", "savedmodel", "--out", out.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(Files.isRegularFile(out.resolve("saved_model.pb")));
    assertTrue(Files.isDirectory(out.resolve("variables")));

    int n = 5;
    byte[] pixels = Fixtures.images(n, 3);
    float[] expected = Fixtures.probabilities(checkpoint, pixels);
    float[] floats = new float[pixels.length];
    for (int i = 0; i < pixels.length; i++) floats[i] = pixels[i] & 0xFF; // 0..255, as a client sends them
    try (SavedModelBundle bundle = SavedModelBundle.load(out.toString(), SavedModelBundle.DEFAULT_TAG);
        TFloat32 images = TFloat32.tensorOf(Shape.of(n, 32, 32, 3), DataBuffers.of(floats, true, false))) {
      var function = bundle.function(Signature.DEFAULT_KEY);
      assertEquals(Set.of("images"), function.signature().inputNames());
      assertEquals(Set.of("probabilities"), function.signature().outputNames());
      try (var result = function.call(Map.of("images", images))) {
        TFloat32 probs = (TFloat32) result.get("probabilities").orElseThrow();
        assertEquals(Shape.of(n, 10), probs.shape());
        for (int i = 0; i < n; i++) {
          for (int c = 0; c < 10; c++) {
            assertEquals(expected[i * 10 + c], probs.getFloat(i, c), 1e-6, "image " + i + " class " + c);
          }
        }
      }
    }
  }

  @Test
  void aDirectoryThatIsNotEmptyIsRefusedAndKept() throws Exception {
    Path checkpoint = Fixtures.randomCheckpoint(dir.resolve("model.npz"), 8, 6);
    Path out = Files.createDirectories(dir.resolve("busy"));
    Files.writeString(out.resolve("keep.txt"), "mine");
    var r = Cli.run("export", checkpoint.toString(), "--format", "savedmodel", "--out", out.toString());
    assertEquals(1, r.exit());
    assertEquals(1, r.errLines().size(), r.err());
    assertTrue(r.err().contains("not empty"), r.err());
    assertEquals("mine", Files.readString(out.resolve("keep.txt")));
  }
}
