package org.cifarresnet.interop;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.cifarresnet.checkpoint.Npy;

/**
 * {@link KerasFixture}'s ResNet8, with its known weights, written as Keras 3 writes it: a
 * {@code .weights.h5} file ({@code model.save_weights}) and a {@code .keras} archive ({@code model.save}),
 * following Keras 3's saving code ({@code keras/src/saving/saving_lib.py} at keras-team/keras
 * 3422977a5e38fb2f7709aaa9a08e47f0c43d0f60). Written from the layer table of {@link KerasFixture},
 * not from {@link Keras3Layout}: in a fresh Keras 3 session the example's layers are named as TF2 Keras
 * named them (but the input {@code input_layer}), and those are also the group names Keras 3 saves
 * under, since both count each class in the same order.
 *
 * <ul>
 *   <li>{@code layers/<group>/vars/0, 1, ...}: every layer of {@code model.layers}, weighted or not
 *       (an empty {@code vars} then), its variables by index: kernel, bias; gamma, beta, moving_mean,
 *       moving_variance;
 *   <li>the attribute {@code name} on each {@code vars} (Keras 3.6 and later; {@link #namesInGroups});
 *   <li>the model's own, empty, {@code vars}, and with {@link #optimizer} the Adam state under
 *       {@code optimizer/vars} as a trained model has it.
 * </ul>
 *
 * <p>One dataset Keras does not write is added at the root, see {@link #lastOf}.
 */
public final class Keras3Fixture {
  final KerasFixture keras;
  /** Keras 3.6 and later name the layer in an attribute of its vars group; 3.0 to 3.5 do not. */
  boolean namesInGroups = true;
  /** Adds optimizer/vars as a compiled, trained model saves it. */
  boolean optimizer = false;
  /** The layers' own names (config.json, the name attributes): a later model in a session counts on. */
  UnaryOperator<String> layerNames = UnaryOperator.identity();
  /** Groups (TF2 names of the table) left out of the weights file. */
  Set<String> omit = Set.of();

  /** Convolutions with stride 2 (the first of a stage, and the projections). */
  private static final Set<String> STRIDE_2 = Set.of("conv2d_3", "conv2d_5", "conv2d_6", "conv2d_8");
  /** Inputs of the layers that do not take the layer before them in the table (the graph of ResNet8). */
  private static final Map<String, List<String>> INPUTS = Map.of(
      "add", List.of("activation", "batch_normalization_2"),
      "conv2d_5", List.of("activation_2"),
      "batch_normalization_4", List.of("conv2d_4"),
      "add_1", List.of("conv2d_5", "batch_normalization_4"),
      "conv2d_8", List.of("activation_4"),
      "batch_normalization_6", List.of("conv2d_7"),
      "add_2", List.of("conv2d_8", "batch_normalization_6"));

  Keras3Fixture(long seed) {
    this.keras = new KerasFixture(seed);
  }

  /**
   * The fuzz seeds of the Keras 3 reader: ResNet8 as a .keras archive (Keras 3.6+ names, optimizer state)
   * and as a .weights.h5 file of Keras 3.0 to 3.5 (no names), so both kinds and both forms are mutated.
   */
  public static List<byte[]> fuzzSeeds() {
    var archive = new Keras3Fixture(1);
    archive.optimizer = true;
    var weights = new Keras3Fixture(2);
    weights.namesInGroups = false;
    return List.of(zipBytes(archive.members(), true), weights.weightsH5());
  }

  /** The group a layer of the table is saved under (the input layer's class is InputLayer). */
  static String group(String tf2) {
    return tf2.equals("input_1") ? "input_layer" : tf2;
  }

  static String className(String tf2) {
    String prefix = tf2.replaceAll("_\\d+$", "");
    return switch (prefix) {
      case "input" -> "InputLayer";
      case "conv2d" -> "Conv2D";
      case "batch_normalization" -> "BatchNormalization";
      case "activation" -> "Activation";
      case "add" -> "Add";
      case "average_pooling2d" -> "AveragePooling2D";
      case "flatten" -> "Flatten";
      case "dense" -> "Dense";
      default -> throw new IllegalArgumentException(tf2);
    };
  }

  /** The .weights.h5 file as bytes. */
  byte[] weightsH5() {
    try {
      Path f = Files.createTempFile("keras3", ".weights.h5");
      try {
        writeWeights(f);
        return Files.readAllBytes(f);
      } finally {
        Files.delete(f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path writeWeights(Path file) {
    try (WritableHdfFile h5 = HdfFile.write(file)) {
      WritableGroup layers = h5.putGroup("layers");
      for (Object[] row : KerasFixture.LAYERS) {
        String tf2 = (String) row[0];
        if (omit.contains(tf2)) continue;
        WritableGroup vars = layers.putGroup(group(tf2)).putGroup("vars");
        if (namesInGroups) vars.putAttribute("name", layerNames.apply(group(tf2)));
        if (row.length == 1) continue;
        int i = 0;
        for (var e : keras.weights.get(tf2).entrySet()) {
          vars.putDataset(Integer.toString(i++), KerasH5Writer.shaped(new Npy.Array(keras.shapes.get(tf2).get(e.getKey()), e.getValue())));
        }
      }
      if (optimizer) {
        WritableGroup adam = h5.putGroup("optimizer").putGroup("vars");
        adam.putDataset("0", new long[] {390}); // iterations
        adam.putDataset("1", new float[] {1e-3f}); // learning rate
        adam.putDataset("2", new float[3][3][3][16]); // first moment of conv2d's kernel, ...
      }
      WritableGroup own = h5.putGroup("vars"); // the model's own variables: none
      if (namesInGroups) own.putAttribute("name", "functional");
      List<String> root = new ArrayList<>(optimizer ? List.of("layers", "optimizer", "vars") : List.of("layers", "vars"));
      h5.putDataset(lastOf(root), new byte[] {0});
    }
    return file;
  }

  /**
   * A name that jHDF lays out after {@code names} in a group, for a dataset Keras does not write. jHDF
   * 0.9.4 writes its name tag where its last data write ended, over any empty group laid out after the
   * last dataset, and Keras' layout is full of empty groups. jHDF lays a group's children out in the
   * order of a ConcurrentHashMap filled in the order they were added, so that order is found the same way.
   */
  static String lastOf(List<String> names) {
    for (int i = 0; ; i++) {
      String candidate = "jhdf_padding_" + i;
      Map<String, Boolean> children = new ConcurrentHashMap<>();
      names.forEach(n -> children.put(n, true));
      children.put(candidate, true);
      if (new ArrayList<>(children.keySet()).get(names.size()).equals(candidate)) return candidate;
    }
  }

  /** config.json as Keras 3 writes it for the example's functional model ({@code serialize_keras_object}). */
  String configJson() {
    JsonArray layers = new JsonArray();
    String previous = null;
    for (Object[] row : KerasFixture.LAYERS) {
      String tf2 = (String) row[0];
      String name = layerNames.apply(group(tf2));
      JsonObject config = settings(tf2, row);
      config.addProperty("name", name);
      JsonObject layer = new JsonObject();
      layer.addProperty("module", "keras.layers");
      layer.addProperty("class_name", className(tf2));
      layer.add("config", config);
      layer.add("registered_name", null);
      layer.addProperty("name", name);
      JsonArray inbound = new JsonArray();
      if (previous != null) {
        List<String> from = INPUTS.getOrDefault(tf2, List.of(previous));
        JsonArray args = new JsonArray();
        JsonArray tensors = new JsonArray();
        for (String f : from) tensors.add(tensor(layerNames.apply(group(f))));
        args.add(from.size() == 1 ? tensors.get(0) : tensors);
        JsonObject node = new JsonObject();
        node.add("args", args);
        node.add("kwargs", new JsonObject());
        inbound.add(node);
      }
      layer.add("inbound_nodes", inbound);
      layers.add(layer);
      previous = tf2;
    }
    JsonObject config = new JsonObject();
    config.addProperty("name", "functional");
    config.addProperty("trainable", true);
    config.add("layers", layers);
    config.add("input_layers", new Gson().toJsonTree(List.of(List.of(layerNames.apply("input_layer"), 0, 0))));
    config.add("output_layers", new Gson().toJsonTree(List.of(List.of(layerNames.apply("dense"), 0, 0))));
    JsonObject model = new JsonObject();
    model.addProperty("module", "keras.src.models.functional");
    model.addProperty("class_name", "Functional");
    model.add("config", config);
    model.addProperty("registered_name", "Functional");
    return model.toString();
  }

  private static JsonObject settings(String tf2, Object[] row) {
    JsonObject c = new JsonObject();
    c.addProperty("trainable", true);
    Gson gson = new Gson();
    switch (className(tf2)) {
      case "InputLayer" -> c.add("batch_shape", gson.toJsonTree(new Integer[] {null, 32, 32, 3}));
      case "Conv2D" -> {
        long[] k = (long[]) row[1];
        int s = STRIDE_2.contains(tf2) ? 2 : 1;
        c.addProperty("filters", k[3]);
        c.add("kernel_size", gson.toJsonTree(new long[] {k[0], k[1]}));
        c.add("strides", gson.toJsonTree(new int[] {s, s}));
        c.addProperty("padding", "same");
        c.addProperty("data_format", "channels_last");
        c.addProperty("activation", "linear");
        c.addProperty("use_bias", true);
      }
      case "BatchNormalization" -> {
        c.addProperty("axis", -1);
        c.addProperty("momentum", 0.99);
        c.addProperty("epsilon", 0.001);
      }
      case "Activation" -> c.addProperty("activation", "relu");
      case "AveragePooling2D" -> c.add("pool_size", gson.toJsonTree(new int[] {8, 8}));
      case "Dense" -> {
        c.addProperty("units", 10);
        c.addProperty("activation", "softmax");
      }
      default -> { }
    }
    return c;
  }

  private static JsonObject tensor(String from) {
    JsonObject config = new JsonObject();
    config.addProperty("dtype", "float32");
    config.add("keras_history", new Gson().toJsonTree(List.of(from, 0, 0)));
    JsonObject t = new JsonObject();
    t.addProperty("class_name", "__keras_tensor__");
    t.add("config", config);
    return t;
  }

  static String metadataJson() {
    return "{\"keras_version\": \"3.16.0\", \"date_saved\": \"2026-08-21@16:09:11\"}";
  }

  /** The archive's members in the order Keras writes them. */
  Map<String, byte[]> members() {
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put("metadata.json", metadataJson().getBytes(StandardCharsets.UTF_8));
    m.put("config.json", configJson().getBytes(StandardCharsets.UTF_8));
    m.put("model.weights.h5", weightsH5());
    return m;
  }

  Path writeArchive(Path file) {
    return zip(file, members(), true);
  }

  /** A zip of these members, stored as Keras stores them or deflated. */
  static Path zip(Path file, Map<String, byte[]> members, boolean stored) {
    try {
      Files.write(file, zipBytes(members, stored));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] zipBytes(Map<String, byte[]> members, boolean stored) {
    var out = new ByteArrayOutputStream();
    try (var zip = new ZipOutputStream(out)) {
      for (var e : members.entrySet()) {
        ZipEntry entry = new ZipEntry(e.getKey());
        if (stored) {
          CRC32 crc = new CRC32();
          crc.update(e.getValue());
          entry.setMethod(ZipEntry.STORED);
          entry.setSize(e.getValue().length);
          entry.setCrc(crc.getValue());
        }
        zip.putNextEntry(entry);
        zip.write(e.getValue());
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
