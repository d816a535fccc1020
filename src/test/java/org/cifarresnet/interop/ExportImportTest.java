package org.cifarresnet.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.cifarresnet.checkpoint.Checkpoint;
import org.cifarresnet.cli.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Our weights travel out as a Keras file and back in unchanged. */
class ExportImportTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(ints = {8, 20})
  void exportThenImportPredictsIdentically(int depth) {
    Path checkpoint = Fixtures.randomCheckpoint(dir.resolve("model.npz"), depth, 4);
    Path h5 = dir.resolve("out").resolve("resnet.h5");
    var exported = Cli.run("export", checkpoint.toString(), "--format", "keras-h5", "--out", h5.toString());
    assertEquals(0, exported.exit(), exported.err());
    // No --data or --mean-image: the mean image rides along in the file.
    var imported = Cli.run("import-keras", h5.toString(), "--out", dir.resolve("run").toString());
    assertEquals(0, imported.exit(), imported.err());

    byte[] images = Fixtures.images(6, 9);
    assertArrayEquals(Fixtures.probabilities(checkpoint, images), Fixtures.probabilities(dir.resolve("run"), images));
    Checkpoint before = Checkpoint.load(checkpoint);
    Checkpoint after = Checkpoint.load(dir.resolve("run").resolve("checkpoints").resolve("best.npz"));
    for (var e : before.arrays().entrySet()) assertArrayEquals(e.getValue().data(), after.arrays().get(e.getKey()).data(), e.getKey());
  }

  @Test
  void theFileHasTheLayoutKerasLoadWeightsReads() {
    Path checkpoint = Fixtures.randomCheckpoint(dir.resolve("model.npz"), 8, 4);
    Path h5 = dir.resolve("resnet8.h5");
    assertEquals(0, Cli.run("export", checkpoint.toString(), "--format", "keras-h5", "--out", h5.toString()).exit());
    Checkpoint source = Checkpoint.load(checkpoint);
    try (HdfFile f = new HdfFile(h5)) {
      List<String> expected = Arrays.stream(KerasFixture.LAYERS).filter(r -> r.length > 1).map(r -> (String) r[0]).toList();
      assertEquals(expected, List.of((String[]) f.getAttribute("layer_names").getData()));
      assertEquals("tensorflow", f.getAttribute("backend").getData());
      assertTrue(((String) f.getAttribute("keras_version").getData()).startsWith("2."));
      Group bn = (Group) f.getChild("batch_normalization_4");
      assertEquals(List.of("batch_normalization_4/gamma:0", "batch_normalization_4/beta:0",
          "batch_normalization_4/moving_mean:0", "batch_normalization_4/moving_variance:0"),
          List.of((String[]) bn.getAttribute("weight_names").getData()));
      Dataset kernel = f.getDatasetByPath("conv2d_5/conv2d_5/kernel:0");
      assertArrayEquals(new int[] {1, 1, 16, 32}, kernel.getDimensions());
      assertArrayEquals(source.arrays().get("conv2d_5.kernel").data(), (float[]) kernel.getDataFlat());
      assertArrayEquals(source.arrays().get("input.mean_image").data(), (float[]) f.getDatasetByPath("mean_image").getDataFlat());
    }
    try (var files = Stream.of(dir.toFile().list())) {
      assertTrue(files.noneMatch(n -> n.startsWith(".")), "no temporary files left");
    }
  }

  @Test
  void aForcedExportReplacesAnOlderFileWhole() throws Exception {
    Path h5 = Files.writeString(dir.resolve("old.h5"), "an older file");
    Path checkpoint = Fixtures.randomCheckpoint(dir.resolve("model.npz"), 8, 4);
    assertEquals(0, Cli.run("export", checkpoint.toString(), "--format", "keras-h5", "--out", h5.toString(), "--force").exit());
    try (HdfFile f = new HdfFile(h5)) {
      assertEquals(17, ((String[]) f.getAttribute("layer_names").getData()).length); // 9 conv, 7 BN, 1 dense
    }
  }
}
