package org.cifarresnet.interop;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.cifarresnet.config.ModelConfig;
import org.cifarresnet.util.UserError;

/**
 * Pairs a Keras file's layers with our network's, by type and creation order, and checks every
 * shape. A file's layer order alone would do for a file we wrote, but names carry the creation order
 * in every Keras version ({@code conv2d}, {@code conv2d_1}, ... in TF2 Keras, {@code conv2d_1},
 * {@code conv2d_2}, ... in Keras 2.2), and pairing by it is what makes "the 8th convolution" mean the
 * same layer on both sides. Layers of one type are sorted by the number in their name, ties (names
 * without numbers) by file order.
 *
 * @param layout the network the file was matched against
 * @param pairs each of our weights with the file's weight that supplies it
 */
record KerasMatch(KerasLayout layout, List<Pair> pairs) {
  /** One of our weights and the file's weight for it, shapes equal. */
  record Pair(KerasLayout.Weight ours, KerasH5File.Weight theirs) {}

  /**
   * @param depth the depth asked for, or null to take it from the file
   * @param base settings of the network apart from its depth
   * @throws UserError naming the first layer whose shape differs (with both shapes), a missing or
   *     surplus layer, or a depth that does not match the file
   */
  static KerasMatch of(Path file, List<KerasH5File.Layer> layers, Integer depth, ModelConfig base) {
    return match(file, layers, depth, base, true);
  }

  /**
   * As {@link #of}, but pairs the layers of each type in the order given rather than by the numbers in
   * their names: Keras 3 loads by position in {@code model.layers}, and a Keras 3 file's names may be
   * anything (see {@link Keras3Weights}).
   */
  static KerasMatch inOrder(Path file, List<KerasH5File.Layer> layers, Integer depth, ModelConfig base) {
    return match(file, layers, depth, base, false);
  }

  private static KerasMatch match(
      Path file, List<KerasH5File.Layer> layers, Integer depth, ModelConfig base, boolean byCreationNumber) {
    Map<KerasLayout.Type, List<KerasH5File.Layer>> byType = new EnumMap<>(KerasLayout.Type.class);
    for (var type : KerasLayout.Type.values()) byType.put(type, new ArrayList<>());
    for (var layer : layers) {
      var type = layer.type();
      if (type == null) {
        throw new UserError(file + " holds layer " + layer.name() + " with weights " + roles(layer)
            + ", which no layer of the Keras cifar10_resnet ResNet v1 has; the file holds another network");
      }
      byType.get(type).add(layer);
    }
    if (byCreationNumber) byType.values().forEach(l -> l.sort(Comparator.comparingInt(KerasH5File.Layer::creationNumber)));

    int fileDepth = depthOf(byType);
    if (depth != null && fileDepth > 0 && fileDepth != depth) {
      throw new UserError(file + " holds a ResNet" + fileDepth + " v1, not the ResNet" + depth
          + " that --depth asks for; pass --depth " + fileDepth + " or leave --depth out");
    }
    int chosen = depth != null ? depth : fileDepth > 0 ? fileDepth : guessDepth(byType);
    KerasLayout layout = KerasLayout.of(base.withDepth(chosen));

    // In the file's order, so the first difference named is the first a reader of the file meets.
    List<Pair> pairs = new ArrayList<>();
    for (var layer : layers) {
      List<KerasH5File.Layer> sameType = byType.get(layer.type());
      int index = sameType.indexOf(layer);
      List<KerasLayout.Layer> ours = layout.ofType(layer.type());
      if (index >= ours.size()) {
        throw new UserError(file + " has more layers than " + layout.title() + ": layer " + layer.name() + " would be "
            + ordinal(index + 1) + " " + layer.type().noun + ", the network has " + ours.size()
            + "; the file holds another network");
      }
      KerasLayout.Layer expected = ours.get(index);
      for (var weight : expected.weights()) {
        KerasH5File.Weight theirs = layer.weight(weight.role());
        if (!Arrays.equals(theirs.shape(), weight.shape())) {
          throw new UserError(file + ": layer " + layer.name() + " " + weight.role() + " has shape "
              + Arrays.toString(theirs.shape()) + ", " + layout.title() + " expects " + Arrays.toString(weight.shape())
              + " (its " + ordinal(index + 1) + " " + layer.type().noun + "); the file holds another network"
              + (depth != null ? " or another depth than --depth " + depth : ""));
        }
        pairs.add(new Pair(weight, theirs));
      }
    }
    for (var type : KerasLayout.Type.values()) {
      int have = byType.get(type).size();
      List<KerasLayout.Layer> ours = layout.ofType(type);
      if (have < ours.size()) {
        throw new UserError(file + " lacks layers: " + layout.title() + " has " + ours.size() + " " + plural(type)
            + ", the file only " + have + "; the file is incomplete or holds another network");
      }
    }
    return new KerasMatch(layout, List.copyOf(pairs));
  }

  /** The depth 6n+2 whose layer counts the file has exactly, or -1. */
  private static int depthOf(Map<KerasLayout.Type, List<KerasH5File.Layer>> byType) {
    int bn = byType.get(KerasLayout.Type.BATCH_NORM).size();
    int conv = byType.get(KerasLayout.Type.CONV).size();
    int dense = byType.get(KerasLayout.Type.DENSE).size();
    int n = (bn - 1) / 6; // one batch norm after the stem, two per block, 3n blocks
    boolean exact = bn >= 7 && (bn - 1) % 6 == 0 && conv == 6 * n + 3 && dense == 1; // + stem, 2 projections
    return exact ? 6 * n + 2 : -1;
  }

  /** A depth to compare an irregular file against, so that the first difference can be named. */
  private static int guessDepth(Map<KerasLayout.Type, List<KerasH5File.Layer>> byType) {
    int bn = byType.get(KerasLayout.Type.BATCH_NORM).size();
    int conv = byType.get(KerasLayout.Type.CONV).size();
    int n = bn >= 7 ? (bn - 1) / 6 : conv >= 9 ? (conv - 3) / 6 : 3;
    return 6 * n + 2;
  }

  private static String roles(KerasH5File.Layer layer) {
    return layer.weights().stream().map(KerasH5File.Weight::role).toList().toString();
  }

  private static String plural(KerasLayout.Type type) {
    return switch (type) {
      case CONV -> "convolutions";
      case BATCH_NORM -> "batch normalizations";
      case DENSE -> "dense layers";
    };
  }

  static String ordinal(int n) {
    String suffix = (n % 100 >= 11 && n % 100 <= 13) ? "th" : switch (n % 10) {
      case 1 -> "st";
      case 2 -> "nd";
      case 3 -> "rd";
      default -> "th";
    };
    return n + suffix;
  }
}
