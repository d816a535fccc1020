package org.cifarresnet.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.cifarresnet.checkpoint.Checkpoint;
import org.cifarresnet.cli.Cli;
import org.cifarresnet.config.Presets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Our weights travel out as a Keras 3 .weights.h5 file, in Keras 3's layout, and back in unchanged. */
class Keras3ExportTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(ints = {8, 20})
  void exportThenImportGivesIdenticalWeights(int depth) {
    Path checkpoint = Fixtures.randomCheckpoint(dir.resolve("model.npz"), depth, 4);
    Path file = dir.resolve("out").resolve("resnet.weights.h5");
    var exported = Cli.run("export", checkpoint.toString(), "--format", "keras3-weights", "--out", file.toString());
    assertEquals(0, exported.exit(), exported.err());
    assertTrue(exported.out().contains("Keras 3 weights of ResNet" + depth), exported.out());
    // No --data or --mean-image: the mean image rides along in the file.
    var imported = Cli.run("import-keras", file.toString(), "--out", dir.resolve("run").toString());
    assertEquals(0, imported.exit(), imported.err());

    Checkpoint before = Checkpoint.load(checkpoint);
    Checkpoint after = Checkpoint.load(dir.resolve("run").resolve("checkpoints").resolve("best.npz"));
    List<String> names = new ArrayList<>(List.of("input.mean_image"));
    KerasLayout.of(before.info().config().model()).layers()
        .forEach(l -> l.weights().forEach(w -> names.add(w.variable())));
    assertEquals(before.info().config().model().depth() == 8 ? 1 + 9 * 2 + 7 * 4 + 2 : 1 + 21 * 2 + 19 * 4 + 2, names.size());
    for (String name : names) assertArrayEquals(before.arrays().get(name).data(), after.arrays().get(name).data(), name);
    byte[] images = Fixtures.images(4, 9);
    assertArrayEquals(Fixtures.probabilities(checkpoint, images), Fixtures.probabilities(dir.resolve("run"), images));
  }

  @Test
  void theFileHasKeras3sLayout() {
    Path checkpoint = Fixtures.randomCheckpoint(dir.resolve("model.npz"), 8, 4);
    Path file = dir.resolve("resnet8.weights.h5");
    assertEquals(0, Cli.run("export", checkpoint.toString(), "--format", "keras3-weights", "--out", file.toString()).exit());
    Checkpoint source = Checkpoint.load(checkpoint);
    try (HdfFile f = new HdfFile(file)) {
      assertNull(f.getAttribute("layer_names"), "no legacy layout");
      Group layers = (Group) f.getChild("layers");
      // Keras 3 names the groups by class, counted in model.layers order; the weighted ones of ResNet8:
      Set<String> expected = new TreeSet<>();
      for (Object[] row : KerasFixture.LAYERS) if (row.length > 1) expected.add((String) row[0]);
      assertEquals(expected, new TreeSet<>(layers.getChildren().keySet()));
      Group bn = (Group) f.getByPath("layers/batch_normalization_4/vars");
      assertEquals("batch_normalization_4", bn.getAttribute("name").getData());
      assertEquals(Set.of("0", "1", "2", "3"), bn.getChildren().keySet());
      assertArrayEquals(source.arrays().get("batch_normalization_4.moving_mean").data(),
          (float[]) ((Dataset) bn.getChild("2")).getDataFlat());
      Dataset projection = f.getDatasetByPath("layers/conv2d_5/vars/0");
      assertArrayEquals(new int[] {1, 1, 16, 32}, projection.getDimensions());
      assertArrayEquals(source.arrays().get("conv2d_5.kernel").data(), (float[]) projection.getDataFlat());
      assertArrayEquals(new int[] {64, 10}, f.getDatasetByPath("layers/dense/vars/0").getDimensions());
      assertArrayEquals(source.arrays().get("input.mean_image").data(), (float[]) f.getDatasetByPath("mean_image").getDataFlat());
    }
    try (var files = Stream.of(dir.toFile().list())) {
      assertTrue(files.noneMatch(n -> n.startsWith(".")), "no temporary files left");
    }
  }

  @Test
  void theOutputMustBeNamedAsKeras3LoadsIt() {
    Path checkpoint = Fixtures.randomCheckpoint(dir.resolve("model.npz"), 8, 4);
    var r = Cli.run("export", checkpoint.toString(), "--format", "keras3-weights", "--out", dir.resolve("resnet8.h5").toString());
    assertEquals(2, r.exit(), r.err());
    assertEquals(1, r.errLines().size(), r.err());
    assertTrue(r.err().contains(".weights.h5"), r.err());
    assertFalse(Files.exists(dir.resolve("resnet8.h5")));
  }

  @Test
  void everyDepthHasOneGroupPerWeightedLayer() {
    for (int depth : List.of(8, 32, 110)) {
      var layout = KerasLayout.of(Presets.keras().model().withDepth(depth));
      var groups = Keras3Layout.groups(layout);
      assertEquals(layout.layers().size(), new TreeSet<>(groups.values()).size());
      for (var e : groups.entrySet()) assertEquals("layers/" + e.getKey().name(), e.getValue(), "depth " + depth);
    }
    assertEquals(Arrays.asList("conv2d", "batch_normalization", "average_pooling2d", "input_layer"),
        List.of("Conv2D", "BatchNormalization", "AveragePooling2D", "InputLayer").stream().map(Keras3Layout::snakeCase).toList());
  }
}
