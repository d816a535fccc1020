package org.cifarresnet.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.cifarresnet.cli.Cli;
import org.cifarresnet.testing.NeededTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad input: one line naming the problem and the fix, exit 1 (2 for bad usage), and nothing written. */
class InteropErrorsTest {
  @TempDir Path dir;

  private Path run() {
    return dir.resolve("run");
  }

  private void assertRefused(Cli.Outcome r, int exit, String... mentions) throws Exception {
    Fixtures.assertRefusedCleanly(r, exit, run(), dir, mentions);
  }

  private Cli.Outcome importKeras(Path h5, String... more) {
    List<String> args = new ArrayList<>(List.of("import-keras", h5.toString(), "--out", run().toString()));
    args.addAll(List.of(more));
    return Cli.run(args.toArray(String[]::new));
  }

  private Path mean() throws Exception {
    return Fixtures.npy(dir.resolve("mean.npy"), new long[] {32, 32, 3}, new float[3072]);
  }

  @Test
  void aFileThatIsNotHdf5() throws Exception {
    Path notH5 = Files.writeString(dir.resolve("weights.h5"), "this is a text file, not HDF5\n".repeat(40));
    assertRefused(importKeras(notH5), 1, "weights.h5", "not an HDF5 file");
    assertRefused(importKeras(dir.resolve("absent.h5")), 1, "absent.h5", "not found");
  }

  @Test
  void anHdf5FileThatIsNotKeras() throws Exception {
    Path h5 = dir.resolve("data.h5");
    try (var f = HdfFile.write(h5)) {
      f.putDataset("x", new float[] {1, 2, 3});
    }
    assertRefused(importKeras(h5), 1, "not a Keras", "layer_names");
  }

  @Test
  void anotherArchitectureNamesTheFirstLayerThatDiffersWithBothShapes() throws Exception {
    // A 3x3 projection where the example has a 1x1 one.
    Path h5 = new KerasFixture(1).withKernel("conv2d_5", new long[] {3, 3, 16, 32})
        .write(dir.resolve("other.h5"), true, UnaryOperator.identity(), List.of());
    assertRefused(importKeras(h5, "--mean-image", mean().toString()), 1,
        "conv2d_5", "[3, 3, 16, 32]", "[1, 1, 16, 32]", "another network");
  }

  @Test
  void aLayerWithoutItsDatasetIsNamed() throws Exception {
    Path h5 = dir.resolve("broken.h5");
    try (var f = HdfFile.write(h5)) {
      f.putAttribute("layer_names", new String[] {"conv2d"});
      var g = f.putGroup("conv2d");
      g.putAttribute("weight_names", new String[] {"conv2d/kernel:0", "conv2d/bias:0"});
      g.putGroup("conv2d").putDataset("kernel:0", new float[3][3][3][16]);
    }
    assertRefused(importKeras(h5, "--mean-image", mean().toString()), 1, "conv2d/bias:0", "no such dataset");
  }

  @Test
  void missingLayersAreNamed() throws Exception {
    Path h5 = new KerasFixture(1).write(dir.resolve("cut.h5"), false, UnaryOperator.identity(), List.of("batch_normalization_6"));
    assertRefused(importKeras(h5, "--mean-image", mean().toString()), 1, "lacks layers", "7 batch normalizations", "only 6");
  }

  @Test
  void aDepthThatDoesNotMatchTheFile() throws Exception {
    Path h5 = new KerasFixture(1).write(dir.resolve("r8.h5"), true, KerasFixture::keras22, List.of());
    assertRefused(importKeras(h5, "--depth", "20", "--mean-image", mean().toString()), 1, "ResNet8", "--depth 8");
    assertRefused(importKeras(h5, "--depth", "21"), 2, "6n+2");
  }

  @Test
  void withoutAMeanImageTheImportAsksForTheData() throws Exception {
    Path h5 = new KerasFixture(1).write(dir.resolve("r8.h5"), true, UnaryOperator.identity(), List.of());
    assertRefused(importKeras(h5), 1, "no mean image", "--data");
    Path wrongScale = Fixtures.npy(dir.resolve("mean255.npy"), new long[] {32, 32, 3}, filled(3072, 120f));
    assertRefused(importKeras(h5, "--mean-image", wrongScale.toString()), 1, "0..1", "255");
    Path wrongShape = Fixtures.npy(dir.resolve("flat.npy"), new long[] {3072}, new float[3072]);
    assertRefused(importKeras(h5, "--mean-image", wrongShape.toString()), 1, "(32, 32, 3)");
    assertRefused(importKeras(h5, "--mean-image", mean().toString(), "--data", "x.tar.gz"), 2, "not both");
  }

  @Test
  void anExistingRunIsNotOverwritten() throws Exception {
    Path h5 = new KerasFixture(1).write(dir.resolve("r8.h5"), true, UnaryOperator.identity(), List.of());
    Files.createDirectories(run().resolve("checkpoints"));
    Files.writeString(run().resolve("config.json"), "{}");
    var r = importKeras(h5, "--mean-image", mean().toString());
    assertEquals(1, r.exit());
    assertTrue(r.err().contains("already holds a run"), r.err());
    assertEquals("{}", Files.readString(run().resolve("config.json")));
  }

  @Test
  void exportRefusesUnknownFormatsAndMissingCheckpoints() throws Exception {
    Path checkpoint = Fixtures.randomCheckpoint(dir.resolve("model.npz"), 8, 1);
    assertRefused(Cli.run("export", checkpoint.toString(), "--format", "tflite", "--out", run().toString()), 2, "--format");
    assertRefused(Cli.run("export", dir.resolve("nope").toString(), "--format", "keras-h5", "--out", run().toString()), 1, "not found");
  }

  @Test
  void onnxExportOfARunWithoutCheckpointsWritesNothing() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty-run"));
    Files.writeString(empty.resolve("config.json"), "{}");
    Path out = dir.resolve("model.onnx");
    var r = Cli.run("export", empty.toString(), "--format", "onnx", "--out", out.toString());
    assertRefused(r, 1, "has no checkpoints", "train");
    assertFalse(Files.exists(out), "nothing written");
  }

  @ParameterizedTest
  @CsvSource({"onnx, model.onnx", "keras-h5, model.h5", "keras3-weights, model.weights.h5"})
  void anExistingFileIsKeptUnlessForced(String format, String name) throws Exception {
    Path checkpoint = Fixtures.randomCheckpoint(dir.resolve("model.npz"), 8, 1);
    Path out = Files.writeString(dir.resolve(name), "mine");
    String[] export = {"export", checkpoint.toString(), "--format", format, "--out", out.toString()};
    assertRefused(Cli.run(export), 1, "already exists", "--force");
    assertEquals("mine", Files.readString(out));

    var forced = Cli.run(Stream.concat(Stream.of(export), Stream.of("--force")).toArray(String[]::new));
    assertEquals(0, forced.exit(), forced.err());
    assertTrue(Files.size(out) > 100_000, "replaced by the model"); // ResNet8: 78k float32 weights

    Path folder = Files.createDirectories(dir.resolve("folder-" + name));
    assertRefused(Cli.run("export", checkpoint.toString(), "--format", format, "--out", folder.toString(), "--force"),
        1, "is a directory");
  }

  @Test
  void anOnnxExportOfAnotherNetworkWritesNothing() throws Exception {
    // A checkpoint without one of its batch-norm statistics: refused before anything is written.
    Path whole = Fixtures.randomCheckpoint(dir.resolve("whole.npz"), 8, 1);
    Path cut = dir.resolve("cut.npz");
    try (var in = new ZipInputStream(Files.newInputStream(whole));
        var zip = new ZipOutputStream(Files.newOutputStream(cut))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        if (e.getName().equals("batch_normalization_3.moving_variance.npy")) continue;
        zip.putNextEntry(new ZipEntry(e.getName()));
        in.transferTo(zip);
        zip.closeEntry();
      }
    }
    Path out = dir.resolve("model.onnx");
    assertRefused(Cli.run("export", cut.toString(), "--format", "onnx", "--out", out.toString()), 1,
        "batch_normalization_3.moving_variance", "missing", "another network");
    assertFalse(Files.exists(out), "nothing written");
  }

  /** A real full disk: a 128 KB tmpfs, too small for ResNet8's 310 KB of weights. */
  @Test
  void anOnnxExportOntoAFullDiskLeavesNothingBehind() throws Exception {
    Path disk = Files.createDirectories(dir.resolve("disk"));
    NeededTool.require("mount", new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=128k", "tmpfs", disk.toString())
        .inheritIO().start().waitFor() == 0, "mounting a tmpfs needs root on Linux");
    try {
      Path checkpoint = Fixtures.randomCheckpoint(dir.resolve("model.npz"), 8, 1);
      var r = Cli.run("export", checkpoint.toString(), "--format", "onnx", "--out", disk.resolve("model.onnx").toString());
      assertRefused(r, 1, "model.onnx", "No space left on device", "free some disk space");
      try (Stream<Path> left = Files.list(disk)) {
        assertEquals(List.of(), left.toList(), "no file, whole or partial");
      }
    } finally {
      new ProcessBuilder("umount", "-l", disk.toString()).inheritIO().start().waitFor();
    }
  }

  private static float[] filled(int n, float v) {
    float[] a = new float[n];
    Arrays.fill(a, v);
    return a;
  }
}
