package org.cifarresnet.interop;

import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cifarresnet.util.UserError;

/**
 * Reads the weighted layers of a file in Keras 3's layout ({@link Keras3Layout}), in the order Keras 3
 * pairs them with a model: from the archive's {@code config.json} where there is one, else from the
 * group names, which count each class in {@code model.layers} order. Only shapes are read here; values
 * are read after {@link KerasMatch} has checked them, as for the legacy layout.
 */
final class Keras3Weights {
  /** A group name: Keras' snake-case class name and, from the second layer of a class on, _N. */
  private static final Pattern GROUP = Pattern.compile("(.+?)(?:_(\\d{1,9}))?");

  private Keras3Weights() {}

  /** True if the file has the {@code layers} group of Keras 3 (and so not the legacy layout). */
  static boolean hasLayout(KerasH5File h5) {
    try {
      return h5.hdf().getChildren().get(Keras3Layout.LAYERS) instanceof Group;
    } catch (HdfException e) {
      throw h5.damaged(String.valueOf(e.getMessage()));
    }
  }

  /**
   * The weighted layers in the order {@code config.json} lists them, named as it names them.
   *
   * @param member how messages call the weights file: "model.weights.h5/" inside an archive
   */
  static List<KerasH5File.Layer> byConfig(KerasH5File h5, Keras3Config config, String member) {
    try {
      Group all = (Group) h5.hdf().getChildren().get(Keras3Layout.LAYERS);
      Keras3Layout.UniqueNames names = new Keras3Layout.UniqueNames();
      Set<String> listed = new HashSet<>();
      List<KerasH5File.Layer> layers = new ArrayList<>();
      for (Keras3Config.Layer layer : config.layers()) {
        String group = names.next(Keras3Layout.snakeCase(layer.className()));
        listed.add(group);
        Group vars = vars(all, group);
        KerasLayout.Type type = Keras3Layout.typeOf(layer.className());
        String where = member + Keras3Layout.LAYERS + "/" + group;
        if (type == null) {
          if (!Keras3Layout.WEIGHTLESS.contains(layer.className())) {
            throw new UserError(h5.path() + ": layer " + layer.name() + " is a " + layer.className()
                + ", which the Keras cifar10_resnet ResNet v1 does not have; the archive holds another network");
          }
          if (vars != null && !vars.getChildren().isEmpty()) {
            throw new UserError(h5.path() + ": layer " + layer.name() + " (" + layer.className() + ") holds "
                + vars.getChildren().size() + " variables in " + where + "/vars, the example's has none; the archive holds another network");
          }
          continue;
        }
        if (vars == null) {
          throw new UserError(h5.path() + ": config.json lists layer " + layer.name() + " (" + layer.className()
              + ") but the weights have no " + where + "/vars; the archive is incomplete, save the model again");
        }
        String saved = savedName(vars);
        if (saved != null && !saved.equals(layer.name())) {
          throw new UserError(h5.path() + ": " + where + " holds layer " + saved + ", config.json says " + layer.name()
              + " there; its config.json and weights do not belong together, save the model again");
        }
        layers.add(layer(h5, vars, type, layer.name(), where));
      }
      for (var e : all.getChildren().entrySet()) {
        if (!listed.contains(e.getKey()) && e.getValue() instanceof Group g && vars(g) != null && !vars(g).getChildren().isEmpty()) {
          throw new UserError(h5.path() + ": its weights hold " + member + Keras3Layout.LAYERS + "/" + e.getKey()
              + ", which config.json does not list; its config.json and weights do not belong together, save the model again");
        }
      }
      return layers;
    } catch (HdfException e) {
      throw h5.damaged(String.valueOf(e.getMessage()));
    }
  }

  /**
   * The weighted layers of a {@code .weights.h5} file, which has no config: by group name, each of our
   * classes in its saved order ({@code conv2d}, {@code conv2d_1}, ...). A gap in that count would shift
   * every later layer, so it is refused.
   */
  static List<KerasH5File.Layer> byGroupNames(KerasH5File h5) {
    try {
      Group all = (Group) h5.hdf().getChildren().get(Keras3Layout.LAYERS);
      Map<KerasLayout.Type, TreeMap<Integer, String>> found = new TreeMap<>();
      for (var e : all.getChildren().entrySet()) {
        Group vars = e.getValue() instanceof Group g ? vars(g) : null;
        if (vars == null || vars.getChildren().isEmpty()) continue; // a layer without variables
        Matcher m = GROUP.matcher(e.getKey());
        KerasLayout.Type type = null;
        for (var t : KerasLayout.Type.values()) {
          if (m.matches() && m.group(1).equals(Keras3Layout.snakeCase(t.kerasClass))) type = t;
        }
        if (type == null) {
          throw new UserError(h5.path() + " holds " + Keras3Layout.LAYERS + "/" + e.getKey() + " with "
              + vars.getChildren().size() + " variables, which no layer of the Keras cifar10_resnet ResNet v1 has;"
              + " the file holds another network");
        }
        int index = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
        if (!e.getKey().equals(groupName(type, index))) { // conv2d_0, conv2d_01: would pass for conv2d, conv2d_1
          throw new UserError(h5.path() + " holds " + Keras3Layout.LAYERS + "/" + e.getKey() + ", a name Keras 3 does"
              + " not give (it writes " + groupName(type, index) + "); the file was not written by Keras");
        }
        found.computeIfAbsent(type, t -> new TreeMap<>()).put(index, e.getKey());
      }
      List<KerasH5File.Layer> layers = new ArrayList<>();
      for (var entry : found.entrySet()) {
        KerasLayout.Type type = entry.getKey();
        int expected = 0;
        for (var numbered : entry.getValue().entrySet()) {
          if (numbered.getKey() != expected) {
            throw new UserError(h5.path() + " has no " + Keras3Layout.LAYERS + "/" + groupName(type, expected) + " (its "
                + KerasMatch.ordinal(expected + 1) + " " + type.kerasClass + ") but has " + Keras3Layout.LAYERS + "/"
                + numbered.getValue() + "; the file is incomplete, save it again from Keras");
          }
          expected++;
          Group vars = vars(all, numbered.getValue());
          String name = savedName(vars) != null ? savedName(vars) : numbered.getValue();
          layers.add(layer(h5, vars, type, name, Keras3Layout.LAYERS + "/" + numbered.getValue()));
        }
      }
      return layers;
    } catch (HdfException e) {
      throw h5.damaged(String.valueOf(e.getMessage()));
    }
  }

  /** One layer's variables, named 0, 1, ... in Keras' order, given our names for them (kernel, bias, ...). */
  private static KerasH5File.Layer layer(KerasH5File h5, Group vars, KerasLayout.Type type, String name, String where) {
    Map<String, Node> children = vars.getChildren();
    List<String> indices = Keras3Layout.indices(type);
    if (children.size() != indices.size() || !children.keySet().containsAll(indices)) {
      throw new UserError(h5.path() + ": layer " + name + " holds variables " + sorted(children.keySet()) + " in " + where
          + "/vars, a " + type.kerasClass + " of the example holds " + indices + " (" + String.join(", ", type.roles)
          + "); the file holds another network");
    }
    List<KerasH5File.Weight> weights = new ArrayList<>();
    for (int i = 0; i < indices.size(); i++) {
      String path = where + "/" + Keras3Layout.VARS + "/" + i;
      if (!(children.get(indices.get(i)) instanceof Dataset dataset)) {
        throw h5.damaged(path + " is not a dataset");
      }
      long[] shape = Arrays.stream(dataset.getDimensions()).asLongStream().toArray();
      weights.add(new KerasH5File.Weight(type.roles.get(i), shape, dataset, h5.path(), path));
    }
    return new KerasH5File.Layer(name, List.copyOf(weights));
  }

  private static Group vars(Group parent, String group) {
    return parent.getChildren().get(group) instanceof Group g ? vars(g) : null;
  }

  private static Group vars(Group layer) {
    return layer.getChildren().get(Keras3Layout.VARS) instanceof Group v ? v : null;
  }

  /** The layer's own name that Keras 3.6 and later keep in the attribute {@code name}, or null. */
  private static String savedName(Group vars) {
    Attribute a = vars.getAttribute("name");
    return a != null && !a.isEmpty() && a.getData() instanceof String s ? s : null;
  }

  private static String groupName(KerasLayout.Type type, int index) {
    String base = Keras3Layout.snakeCase(type.kerasClass);
    return index == 0 ? base : base + "_" + index;
  }

  private static List<String> sorted(Set<String> names) {
    return names.stream().sorted(Comparator.comparingInt(String::length).thenComparing(Comparator.naturalOrder())).toList();
  }
}
