package org.cifarresnet.interop;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Where Keras 3 puts a model's variables in a {@code .weights.h5} file, the file inside a
 * {@code .keras} archive too. Learned from Keras 3's saving code, {@code keras/src/saving/saving_lib.py}
 * (and {@code layers/layer.py}, {@code ops/function.py}, {@code utils/naming.py}) in keras-team/keras
 * at commit 3422977a5e38fb2f7709aaa9a08e47f0c43d0f60 (Keras 3.16.0.dev, August 2026), also read at
 * tag v3.3.3 for the older {@code H5Entry} form of the same layout:
 *
 * <ul>
 *   <li>Saving walks the model: the model's own variables go to the root group {@code vars}, then
 *       each layer of {@code model.layers} (the functional graph's order, the order {@link KerasLayout}
 *       lists) to {@code layers/<name>/vars}, then other attributes such as {@code optimizer/vars}.
 *   <li>{@code <name>} is not the layer's name but its Python class in snake case, made unique by
 *       counting within the list: {@code conv2d}, {@code conv2d_1}, ..., {@code batch_normalization},
 *       {@code input_layer}, {@code activation_3}. So {@code layers/conv2d_5} is the sixth Conv2D of
 *       {@code model.layers}, whatever the layer was called; Keras loads by these paths, by position.
 *   <li>In {@code vars} each variable is a dataset named by its index: trainable variables in creation
 *       order, then the others: {@code 0} kernel and {@code 1} bias for Conv2D and Dense, {@code 0} gamma,
 *       {@code 1} beta, {@code 2} moving_mean, {@code 3} moving_variance for BatchNormalization.
 *   <li>Since Keras 3.6 each {@code vars} group has an attribute {@code name}, the layer's own name;
 *       before, none. Every layer gets its {@code vars} group, empty for a layer without variables.
 *       The loader reads no attribute and takes a missing group as a layer without variables.
 *   <li>A layer holding layers of its own nests them the same way ({@code layers/functional/layers/...});
 *       the example's ResNet has none.
 * </ul>
 */
final class Keras3Layout {
  /** Group of the layers' variables, and the name of every variables group. */
  static final String LAYERS = "layers";
  static final String VARS = "vars";
  /** Layers of the example that hold no variables, by Keras 3 class name. */
  static final Set<String> WEIGHTLESS = Set.of("InputLayer", "Activation", "Add", "AveragePooling2D", "Flatten");

  private Keras3Layout() {}

  /** Keras' snake case of a class name: Conv2D -> conv2d, BatchNormalization -> batch_normalization. */
  static String snakeCase(String className) {
    String s = className.replaceAll("\\W+", "");
    s = s.replaceAll("(.)([A-Z][a-z]+)", "$1_$2"); // a capitalised word after anything
    s = s.replaceAll("([a-z])([A-Z])", "$1_$2"); // a capital after a lower-case letter
    return s.toLowerCase(Locale.ROOT);
  }

  /** The type of our layers that a Keras 3 class is, or null. */
  static KerasLayout.Type typeOf(String kerasClass) {
    for (var type : KerasLayout.Type.values()) {
      if (type.kerasClass.equals(kerasClass)) return type;
    }
    return null;
  }

  /** Makes names unique as Keras does within one list: the first as it is, then {@code _1}, {@code _2}, ... */
  static final class UniqueNames {
    private final Map<String, Integer> used = new HashMap<>();

    String next(String base) {
      Integer n = used.merge(base, 0, (old, zero) -> old + 1);
      return n == 0 ? base : base + "_" + n;
    }
  }

  /**
   * The group of each weighted layer of the network, e.g. {@code layers/conv2d_5}. The layers without
   * variables between them do not count: each class is counted apart.
   */
  static Map<KerasLayout.Layer, String> groups(KerasLayout layout) {
    UniqueNames names = new UniqueNames();
    Map<KerasLayout.Layer, String> groups = new LinkedHashMap<>();
    for (var layer : layout.layers()) groups.put(layer, LAYERS + "/" + names.next(snakeCase(layer.type().kerasClass)));
    return groups;
  }

  /** The index names of a type's variables in its {@code vars} group: 0, 1, ... */
  static List<String> indices(KerasLayout.Type type) {
    return IntStream.range(0, type.roles.size()).mapToObj(Integer::toString).toList();
  }
}
