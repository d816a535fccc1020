package org.cifarresnet.interop;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.cifarresnet.checkpoint.Npy;

/**
 * A Keras file of the cifar10_resnet ResNet8 v1 written by hand, the way Keras writes one, with known
 * random weights, and a plain-Java forward pass of that network to say which logits they must give.
 * Deliberately independent of {@link KerasLayout}: the layer table below is the example's
 * {@code model.layers} for depth 8 worked out from its source (by depth in the graph; in a
 * downsampling block the projection ties with the second batch norm and comes first).
 */
public final class KerasFixture {
  /** ResNet8's layers in file order, TF2 names: name, then shapes (none for layers without weights). */
  static final Object[][] LAYERS = {
    {"input_1"},
    {"conv2d", new long[] {3, 3, 3, 16}}, {"batch_normalization", new long[] {16}}, {"activation"},
    {"conv2d_1", new long[] {3, 3, 16, 16}}, {"batch_normalization_1", new long[] {16}}, {"activation_1"},
    {"conv2d_2", new long[] {3, 3, 16, 16}}, {"batch_normalization_2", new long[] {16}}, {"add"}, {"activation_2"},
    {"conv2d_3", new long[] {3, 3, 16, 32}}, {"batch_normalization_3", new long[] {32}}, {"activation_3"},
    {"conv2d_4", new long[] {3, 3, 32, 32}}, {"conv2d_5", new long[] {1, 1, 16, 32}},
    {"batch_normalization_4", new long[] {32}}, {"add_1"}, {"activation_4"},
    {"conv2d_6", new long[] {3, 3, 32, 64}}, {"batch_normalization_5", new long[] {64}}, {"activation_5"},
    {"conv2d_7", new long[] {3, 3, 64, 64}}, {"conv2d_8", new long[] {1, 1, 32, 64}},
    {"batch_normalization_6", new long[] {64}}, {"add_2"}, {"activation_6"},
    {"average_pooling2d"}, {"flatten"}, {"dense", new long[] {64, 10}},
  };

  /** Weights by TF2 layer name and role ("conv2d_3" -> "kernel" -> values), with their shapes. */
  final Map<String, Map<String, float[]>> weights = new LinkedHashMap<>();
  final Map<String, Map<String, long[]>> shapes = new LinkedHashMap<>();

  KerasFixture(long seed) {
    Random rnd = new Random(seed);
    for (Object[] row : LAYERS) {
      if (row.length == 1) continue;
      String name = (String) row[0];
      long[] s = (long[]) row[1];
      Map<String, float[]> w = new LinkedHashMap<>();
      Map<String, long[]> sh = new LinkedHashMap<>();
      if (name.startsWith("batch_normalization")) {
        for (String role : List.of("gamma", "beta", "moving_mean", "moving_variance")) {
          float[] v = new float[(int) s[0]];
          for (int i = 0; i < v.length; i++) {
            v[i] = switch (role) {
              case "gamma" -> 1f + 0.2f * (float) rnd.nextGaussian();
              case "moving_variance" -> 0.5f + rnd.nextFloat();
              default -> 0.1f * (float) rnd.nextGaussian();
            };
          }
          w.put(role, v);
          sh.put(role, s);
        }
      } else {
        long out = s[s.length - 1];
        float[] k = new float[(int) (Arrays.stream(s).reduce(1, (a, b) -> a * b))];
        double std = Math.sqrt(2.0 / (k.length / out));
        for (int i = 0; i < k.length; i++) k[i] = (float) (rnd.nextGaussian() * std);
        float[] b = new float[(int) out];
        for (int i = 0; i < b.length; i++) b[i] = 0.1f * (float) rnd.nextGaussian();
        w.put("kernel", k);
        w.put("bias", b);
        sh.put("kernel", s);
        sh.put("bias", new long[] {out});
      }
      weights.put(name, w);
      shapes.put(name, sh);
    }
  }

  /**
   * The fuzz seeds of the Keras importer: ResNet8, the smallest network it takes, as a whole model with
   * TF2 names and as weights only with Keras 2.2 names, so both layouts and both namings are mutated.
   */
  public static List<byte[]> fuzzSeeds() {
    try {
      Path f = Files.createTempFile("seed", ".h5");
      try {
        var keras = new KerasFixture(1);
        byte[] whole = Files.readAllBytes(keras.write(f, true, UnaryOperator.identity(), List.of()));
        byte[] weights = Files.readAllBytes(keras.write(f, false, KerasFixture::keras22, List.of()));
        return List.of(whole, weights);
      } finally {
        Files.delete(f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A NumPy .npy file of float32 values, as numpy.save writes one. */
  public static byte[] npy(long[] shape, float[] data) {
    StringBuilder dims = new StringBuilder();
    for (long d : shape) dims.append(d).append(", ");
    String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims.substring(0, Math.max(0, dims.length() - 2))
        + (shape.length == 1 ? "," : "") + "), }";
    header = header + " ".repeat(63 - (10 + header.length()) % 64) + "\n";
    ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
    b.put(header.getBytes(StandardCharsets.US_ASCII));
    b.asFloatBuffer().put(data);
    return b.array();
  }

  /** Gives a convolution another kernel shape (zeros), as another network would have. */
  KerasFixture withKernel(String layer, long[] shape) {
    float[] k = new float[(int) Arrays.stream(shape).reduce(1, (a, b) -> a * b)];
    weights.get(layer).put("kernel", k);
    shapes.get(layer).put("kernel", shape);
    return this;
  }

  /** TF2 Keras names as they are; Keras 2.2 numbered layers from 1: conv2d -> conv2d_1, conv2d_1 -> conv2d_2. */
  static String keras22(String name) {
    int u = name.lastIndexOf('_');
    if (u > 0 && name.substring(u + 1).chars().allMatch(Character::isDigit)) {
      return name.substring(0, u + 1) + (Integer.parseInt(name.substring(u + 1)) + 1);
    }
    return name.equals("input_1") ? name : name + "_1";
  }

  /**
   * Writes the file.
   *
   * @param wholeModel as model.save (weights under model_weights, every layer listed, a model_config
   *     and optimizer weights) rather than model.save_weights (weighted layers at the root)
   * @param rename TF2 names to the file's names, e.g. {@link #keras22}
   * @param omit TF2 names of layers to leave out
   */
  Path write(Path file, boolean wholeModel, UnaryOperator<String> rename, List<String> omit) {
    try (WritableHdfFile h5 = HdfFile.write(file)) {
      WritableGroup root = h5;
      if (wholeModel) {
        h5.putAttribute("keras_version", "2.4.0");
        h5.putAttribute("backend", "tensorflow");
        h5.putAttribute("model_config", "{\"class_name\": \"Functional\", \"config\": {\"name\": \"model\"}}");
        root = h5.putGroup("model_weights");
        // Written last in the file (jHDF orders groups by name), which keeps jHDF 0.9.4 off an empty group at the end.
        h5.putGroup("optimizer_weights").putGroup("Adam").putDataset("iterations:0", new long[] {7});
      }
      List<String> names = new ArrayList<>();
      for (Object[] row : LAYERS) {
        String tf2 = (String) row[0];
        if (omit.contains(tf2) || (!wholeModel && row.length == 1)) continue;
        String name = rename.apply(tf2);
        names.add(name);
        WritableGroup g = root.putGroup(name);
        if (row.length == 1) continue; // a layer without weights: an empty group (Keras adds an empty weight_names)
        Map<String, float[]> w = weights.get(tf2);
        g.putAttribute("weight_names", w.keySet().stream().map(r -> name + "/" + r + ":0").toArray(String[]::new));
        WritableGroup inner = g.putGroup(name);
        for (var e : w.entrySet()) {
          inner.putDataset(e.getKey() + ":0", KerasH5Writer.shaped(new Npy.Array(
              shapes.get(tf2).get(e.getKey()), e.getValue())));
        }
      }
      root.putAttribute("layer_names", names.toArray(String[]::new));
      root.putAttribute("backend", "tensorflow");
      root.putAttribute("keras_version", "2.4.0");
    }
    return file;
  }

  /** The example network's logits for one HWC uint8 image, in double precision. */
  double[] logits(byte[] pixels, int offset, float[] mean) {
    double[][][] x = new double[32][32][3];
    for (int y = 0; y < 32; y++) {
      for (int c = 0; c < 32; c++) {
        for (int ch = 0; ch < 3; ch++) {
          int i = (y * 32 + c) * 3 + ch;
          x[y][c][ch] = (pixels[offset + i] & 0xFF) / 255.0 - mean[i];
        }
      }
    }
    double[][][] h = relu(bn(conv(x, "conv2d", 1), "batch_normalization"));
    h = block(h, "conv2d_1", "batch_normalization_1", "conv2d_2", "batch_normalization_2", null, 1);
    h = block(h, "conv2d_3", "batch_normalization_3", "conv2d_4", "batch_normalization_4", "conv2d_5", 2);
    h = block(h, "conv2d_6", "batch_normalization_5", "conv2d_7", "batch_normalization_6", "conv2d_8", 2);
    double[] pooled = new double[64];
    for (double[][] row : h) for (double[] px : row) for (int c = 0; c < 64; c++) pooled[c] += px[c] / 64;
    float[] k = weights.get("dense").get("kernel");
    float[] b = weights.get("dense").get("bias");
    double[] z = new double[10];
    for (int o = 0; o < 10; o++) {
      z[o] = b[o];
      for (int i = 0; i < 64; i++) z[o] += pooled[i] * k[i * 10 + o];
    }
    return z;
  }

  private double[][][] block(double[][][] x, String convA, String bnA, String convB, String bnB, String proj, int stride) {
    double[][][] y = relu(bn(conv(x, convA, stride), bnA));
    y = bn(conv(y, convB, 1), bnB);
    double[][][] shortcut = proj == null ? x : conv(x, proj, stride);
    for (int i = 0; i < y.length; i++) for (int j = 0; j < y.length; j++) for (int c = 0; c < y[i][j].length; c++) y[i][j][c] += shortcut[i][j][c];
    return relu(y);
  }

  /** TensorFlow's SAME padding: total max((out-1)*s + k - in, 0), the smaller half before. */
  private double[][][] conv(double[][][] x, String layer, int s) {
    long[] shape = shapes.get(layer).get("kernel");
    int k = (int) shape[0], in = (int) shape[2], outC = (int) shape[3];
    float[] w = weights.get(layer).get("kernel");
    float[] b = weights.get(layer).get("bias");
    int size = x.length, out = (size + s - 1) / s;
    int before = Math.max((out - 1) * s + k - size, 0) / 2;
    double[][][] y = new double[out][out][outC];
    for (int oy = 0; oy < out; oy++) {
      for (int ox = 0; ox < out; ox++) {
        for (int o = 0; o < outC; o++) y[oy][ox][o] = b[o];
        for (int dy = 0; dy < k; dy++) {
          for (int dx = 0; dx < k; dx++) {
            int iy = oy * s + dy - before, ix = ox * s + dx - before;
            if (iy < 0 || ix < 0 || iy >= size || ix >= size) continue;
            for (int i = 0; i < in; i++) {
              double v = x[iy][ix][i];
              int base = ((dy * k + dx) * in + i) * outC; // HWIO
              for (int o = 0; o < outC; o++) y[oy][ox][o] += v * w[base + o];
            }
          }
        }
      }
    }
    return y;
  }

  private double[][][] bn(double[][][] x, String layer) {
    Map<String, float[]> w = weights.get(layer);
    for (double[][] row : x) {
      for (double[] px : row) {
        for (int c = 0; c < px.length; c++) {
          px[c] = w.get("gamma")[c] * (px[c] - w.get("moving_mean")[c]) / Math.sqrt(w.get("moving_variance")[c] + 1e-3)
              + w.get("beta")[c];
        }
      }
    }
    return x;
  }

  private static double[][][] relu(double[][][] x) {
    for (double[][] row : x) for (double[] px : row) for (int c = 0; c < px.length; c++) px[c] = Math.max(0, px[c]);
    return x;
  }
}
