package org.cifarresnet.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cifarresnet.config.Precision;
import org.cifarresnet.config.Presets;
import org.cifarresnet.model.CifarModel;
import org.cifarresnet.model.Parameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The layout names exactly our variables, and lists Keras layers in the example's model.layers order. */
class KerasLayoutTest {
  @ParameterizedTest
  @ValueSource(ints = {8, 20})
  void namesAndShapesAreThoseOfTheModelsVariables(int depth) {
    var config = Presets.keras().model().withDepth(depth);
    Map<String, String> ours = new TreeMap<>();
    for (var layer : KerasLayout.of(config).layers()) {
      for (var w : layer.weights()) ours.put(w.variable(), Arrays.toString(w.shape()));
    }
    Map<String, String> model = new TreeMap<>();
    try (var m = new CifarModel(config, null, 1, Precision.FP32, 1)) {
      for (Parameter p : m.parameters()) {
        if (p.kind() != Parameter.Kind.INPUT_STAT) model.put(p.name(), Arrays.toString(p.shape().asArray()));
      }
    }
    assertEquals(model, ours);
  }

  @Test
  void resnet8IsInTheOrderOfTheExamplesModelLayers() {
    List<String> expected = Arrays.stream(KerasFixture.LAYERS).filter(r -> r.length > 1).map(r -> (String) r[0]).toList();
    var layout = KerasLayout.of(Presets.keras().model().withDepth(8));
    assertEquals(expected, layout.layers().stream().map(KerasLayout.Layer::name).toList());
    assertArrayEquals(new long[] {1, 1, 16, 32}, layout.layers().get(9).weights().get(0).shape()); // conv2d_5, the projection
  }

  @Test
  void layerCountsFollowTheDepth() {
    var layout = KerasLayout.of(Presets.keras().model().withDepth(110));
    assertEquals(111, layout.ofType(KerasLayout.Type.CONV).size()); // stem + 2 per block + 2 projections
    assertEquals(109, layout.ofType(KerasLayout.Type.BATCH_NORM).size());
    assertEquals(1, layout.ofType(KerasLayout.Type.DENSE).size());
  }
}
