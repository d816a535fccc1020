package org.cifarresnet.interop;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.cifarresnet.util.UserError;

/**
 * The model a {@code .keras} archive's {@code config.json} describes, as far as the import needs it:
 * each layer's class, name and settings in {@code model.layers} order. Keras 3 writes it with
 * {@code serialize_keras_object}: {@code {"class_name": "Functional", "config": {"layers": [{"class_name":
 * "Conv2D", "name": "conv2d", "config": {"strides": [1, 1], ...}, "inbound_nodes": [...]}, ...]}}},
 * the layers in the order of the functional graph ({@code ops/function.py} {@code map_graph}), the
 * order in which their variables were saved. The inbound nodes are not needed: Keras 3 itself pairs a
 * file with a model by that order alone, and so do we.
 *
 * @param layers every layer, with or without variables, in the saved order
 */
record Keras3Config(List<Layer> layers) {
  /** One layer: Keras' class name, the layer's own name, and its settings. */
  record Layer(String className, String name, JsonObject config) {}

  /**
   * @throws UserError for text that is not JSON, or JSON that is not a functional Keras model
   */
  static Keras3Config parse(String json, Path archive) {
    JsonElement parsed;
    try {
      parsed = JsonParser.parseString(json);
    } catch (JsonParseException e) { // Gson limits nesting to 255: no stack overflow
      throw bad(archive, "is not JSON");
    }
    if (!(parsed instanceof JsonObject model)) throw bad(archive, "is not a JSON object");
    String modelClass = string(model, "class_name");
    if (!"Functional".equals(modelClass) && !"Model".equals(modelClass)) {
      throw new UserError(archive + ": its config.json describes a " + (modelClass == null ? "model of no class" : modelClass)
          + ", not the functional model of the Keras cifar10_resnet example; save that model with model.save");
    }
    JsonArray list = model.get("config") instanceof JsonObject c && c.get("layers") instanceof JsonArray a ? a : null;
    if (list == null) throw bad(archive, "has no list of layers (config.layers)");
    List<Layer> layers = new ArrayList<>();
    for (JsonElement e : list) {
      if (!(e instanceof JsonObject layer) || !(layer.get("config") instanceof JsonObject settings)
          || string(layer, "class_name") == null) {
        throw bad(archive, "lists a layer without class_name or config");
      }
      String name = string(layer, "name") != null ? string(layer, "name") : string(settings, "name");
      if (name == null) throw bad(archive, "lists a " + string(layer, "class_name") + " layer without a name");
      layers.add(new Layer(string(layer, "class_name"), name, settings));
    }
    return new Keras3Config(List.copyOf(layers));
  }

  /**
   * Checks what the weights cannot show: a convolution's stride and padding, the batch norms' epsilon
   * and the activations. A model with the example's shapes but other strides would import and then
   * predict nonsense.
   *
   * @param byName our layer paired with each of the file's weighted layers, by the file's layer name
   */
  void check(Map<String, KerasLayout.Layer> byName, double bnEpsilon, Path archive) {
    Map<String, Layer> mine = layers.stream().collect(Collectors.toMap(Layer::name, Function.identity(), (a, b) -> a));
    for (var entry : byName.entrySet()) {
      Layer theirs = mine.get(entry.getKey());
      KerasLayout.Layer ours = entry.getValue();
      if (theirs == null) continue; // named in the weights only; their shapes were checked
      switch (ours.type()) {
        case CONV -> {
          String strides = pair(theirs.config().get("strides"), "[1, 1]");
          String want = "[" + ours.stride() + ", " + ours.stride() + "]";
          if (!strides.equals(want)) throw differs(archive, theirs, "strides " + strides, want, ours);
          String padding = text(theirs.config().get("padding"), "valid");
          if (!padding.equals("same")) throw differs(archive, theirs, "padding " + padding, "same", ours);
          String activation = text(theirs.config().get("activation"), "linear");
          if (!activation.equals("linear")) throw differs(archive, theirs, "activation " + activation, "linear", ours);
        }
        case BATCH_NORM -> {
          double epsilon = theirs.config().get("epsilon") instanceof JsonPrimitive p && p.isNumber() ? p.getAsDouble() : 1e-3;
          if (Math.abs(epsilon - bnEpsilon) > 1e-9) {
            throw differs(archive, theirs, "epsilon " + epsilon, Double.toString(bnEpsilon), ours);
          }
        }
        case DENSE -> { } // its shape says it all; softmax or not, the logits are the same
      }
    }
    for (Layer layer : layers) {
      if (layer.className().equals("Activation") && !text(layer.config().get("activation"), "").equals("relu")) {
        throw new UserError(archive + ": layer " + layer.name() + " is a " + text(layer.config().get("activation"), "?")
            + " activation, the cifar10_resnet ResNet v1 has only relu; the archive holds another network");
      }
    }
  }

  private static UserError differs(Path archive, Layer theirs, String what, String want, KerasLayout.Layer ours) {
    return new UserError(archive + ": layer " + theirs.name() + " has " + what + ", the example's " + ours.name()
        + " has " + want + " there (config.json); the archive holds another network");
  }

  /** A setting of two numbers, [2, 2], given as a list or a single number; Keras' default if absent. */
  private static String pair(JsonElement e, String absent) {
    if (e == null || e.isJsonNull()) return absent;
    if (e instanceof JsonPrimitive p) return "[" + p.getAsString() + ", " + p.getAsString() + "]";
    if (e instanceof JsonArray a) {
      List<String> parts = new ArrayList<>();
      for (JsonElement x : a) parts.add(x instanceof JsonPrimitive p ? p.getAsString() : x.toString());
      return parts.toString();
    }
    return e.toString();
  }

  /**
   * A string setting in lower case. Keras 3 writes a built-in activation as its name; a custom one as
   * an object, which then shows as JSON and matches no built-in.
   */
  private static String text(JsonElement e, String absent) {
    if (e == null || e.isJsonNull()) return absent;
    return e instanceof JsonPrimitive p ? p.getAsString().toLowerCase(Locale.ROOT) : e.toString();
  }

  private static String string(JsonObject o, String key) {
    return o.get(key) instanceof JsonPrimitive p && p.isString() ? p.getAsString() : null;
  }

  private static UserError bad(Path archive, String why) {
    return new UserError(archive + ": its config.json " + why + "; save the model again with Keras' model.save");
  }
}
