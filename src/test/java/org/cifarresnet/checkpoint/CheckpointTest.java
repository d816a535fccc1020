package org.cifarresnet.checkpoint;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.cifarresnet.config.Precision;
import org.cifarresnet.config.Presets;
import org.cifarresnet.config.RunConfig;
import org.cifarresnet.eval.ModelLoader;
import org.cifarresnet.model.CifarModel;
import org.cifarresnet.train.TrainingState;
import org.cifarresnet.util.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TUint8;

class CheckpointTest {
  private static final RunConfig CONFIG = Presets.seed();

  @TempDir Path dir;

  private static CheckpointInfo info(String kind) {
    return new CheckpointInfo(
        CheckpointInfo.FORMAT, kind, CONFIG, TrainingState.start(),
        new CheckpointInfo.DatasetInfo("tiny", "00", List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j"), 64, 16),
        Provenance.current(0, Precision.FP32), "2026-11-26T00:00:00Z");
  }

  private static byte[] randomImages(int n, long seed) {
    byte[] pixels = new byte[n * 32 * 32 * 3];
    new Random(seed).nextBytes(pixels);
    return pixels;
  }

  @Test
  void aSavedAndReloadedModelPredictsIdentically() {
    byte[] pixels = randomImages(8, 1);
    Path file = dir.resolve("model.npz");
    float[] before;
    try (var model = new CifarModel(CONFIG.model(), CONFIG.optimizer(), 3, Precision.FP32, 1);
        var images = TUint8.tensorOf(Shape.of(8, 32, 32, 3), DataBuffers.of(pixels, true, false));
        var labels = TInt32.tensorOf(Shape.of(8), DataBuffers.of(new int[] {0, 1, 2, 3, 4, 5, 6, 7}, true, false))) {
      float[] mean = new float[32 * 32 * 3];
      Arrays.fill(mean, 0.47f);
      model.setMeanImage(mean);
      // A few steps so that weights, batch-norm statistics and Adam's moments all differ from their start.
      for (int i = 0; i < 3; i++) model.trainStep(images, labels, 1e-3f);
      before = model.probabilities(images);
      Checkpoint.save(file, model, info("best"), false);
    }
    try (var loaded = ModelLoader.load(file, Precision.FP32, 1);
        var images = TUint8.tensorOf(Shape.of(8, 32, 32, 3), DataBuffers.of(pixels, true, false))) {
      assertArrayEquals(before, loaded.model().probabilities(images));
      assertEquals("best", loaded.checkpoint().info().kind());
      assertFalse(loaded.checkpoint().hasOptimizerState());
    }
  }

  @Test
  void aResumableCheckpointHoldsTheOptimizerStateAndNumpyReadableArrays() throws Exception {
    Path file = dir.resolve("last.npz");
    try (var model = new CifarModel(CONFIG.model(), CONFIG.optimizer(), 3, Precision.FP32, 1)) {
      Checkpoint.save(file, model, info("last"), true);
    }
    Checkpoint c = Checkpoint.load(file);
    assertTrue(c.hasOptimizerState());
    assertArrayEquals(new long[] {3, 3, 3, 16}, c.arrays().get("conv2d.kernel").shape());
    assertArrayEquals(new long[] {}, c.arrays().get("optimizer.iterations").shape());
    try (var zip = new ZipFile(file.toFile())) {
      byte[] npy = zip.getInputStream(zip.getEntry("conv2d.kernel.npy")).readAllBytes();
      assertEquals(0, (npy.length - 3 * 3 * 3 * 16 * 4) % 64, "the array data starts 64-byte aligned, as numpy writes it");
      String header = new String(npy, 10, 70, StandardCharsets.US_ASCII);
      assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 3, 3, 16), }"), header);
    }
    try (var stream = Files.list(dir)) {
      assertEquals(List.of(file), stream.toList(), "no temporary file is left behind");
    }
  }

  @Test
  void unreadableCheckpointsGiveOneLineErrors() throws Exception {
    Path garbage = Files.write(dir.resolve("bad.npz"), new byte[] {1, 2, 3, 4});
    UserError e = assertThrows(UserError.class, () -> Checkpoint.load(garbage));
    assertTrue(e.getMessage().contains("unreadable"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));

    Path truncated = dir.resolve("truncated.npz");
    try (var model = new CifarModel(CONFIG.model(), null, 3, Precision.FP32, 1)) {
      Checkpoint.save(truncated, model, info("best"), false);
    }
    byte[] whole = Files.readAllBytes(truncated);
    Files.write(truncated, Arrays.copyOf(whole, whole.length / 2));
    assertThrows(UserError.class, () -> Checkpoint.load(truncated));

    UserError missing = assertThrows(UserError.class, () -> RunDirectory.checkpointOf(dir.resolve("nowhere")));
    assertTrue(missing.getMessage().contains("not found"));
    Files.createDirectories(dir.resolve("empty-run"));
    UserError empty = assertThrows(UserError.class, () -> RunDirectory.checkpointOf(dir.resolve("empty-run")));
    assertTrue(empty.getMessage().contains("has no checkpoints"), empty.getMessage());
  }

  /** checkpoint.json replaced by {@code edit} of it; the weights stay. */
  private Path withInfo(String name, UnaryOperator<String> edit) throws Exception {
    Path file = dir.resolve(name);
    try (var model = new CifarModel(CONFIG.model().withDepth(8), null, 3, Precision.FP32, 1)) {
      Checkpoint.save(file, model, info("best"), false);
    }
    Path edited = dir.resolve("edited-" + name);
    try (var in = new ZipInputStream(Files.newInputStream(file));
        var out = new ZipOutputStream(Files.newOutputStream(edited))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        byte[] bytes = in.readAllBytes();
        if (e.getName().equals(Checkpoint.INFO_ENTRY)) bytes = edit.apply(new String(bytes, UTF_8)).getBytes(UTF_8);
        out.putNextEntry(new ZipEntry(e.getName()));
        out.write(bytes);
        out.closeEntry();
      }
    }
    return edited;
  }

  @Test
  void settingsAndStatesThatCannotBeAreTheFilesFault() throws Exception {
    // A value out of range, a state whose history does not match its epochs, a number that is not one.
    Path epochs = withInfo("epochs.npz", j -> j.replace("\"epochs\": 50", "\"epochs\": -3"));
    Path history = withInfo("history.npz", j -> j.replace("\"epochsDone\": 0", "\"epochsDone\": 2"));
    Path number = withInfo("number.npz", j -> j.replace("\"lr\": 0.001", "\"lr\": \"x\""));
    for (Path p : List.of(epochs, history, number)) {
      UserError e = assertThrows(UserError.class, () -> Checkpoint.load(p), p.toString());
      assertTrue(e.getMessage().contains("unreadable"), e.getMessage());
      assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
    assertTrue(assertThrows(UserError.class, () -> Checkpoint.load(history)).getMessage().contains("0 rows for 2"));
  }

  @Test
  void aCheckpointOfAnotherDepthIsRefusedByName() {
    Path file = dir.resolve("resnet32.npz");
    try (var model = new CifarModel(CONFIG.model().withDepth(32), null, 3, Precision.FP32, 1)) {
      Checkpoint.save(file, model, info("best"), false);
    }
    Checkpoint c = Checkpoint.load(file);
    try (var resnet20 = new CifarModel(CONFIG.model(), null, 3, Precision.FP32, 1)) {
      UserError e = assertThrows(UserError.class, () -> c.restoreInto(resnet20));
      assertTrue(e.getMessage().contains("another network"), e.getMessage());
    }
  }
}
