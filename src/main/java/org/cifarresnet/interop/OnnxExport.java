package org.cifarresnet.interop;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cifarresnet.checkpoint.Npy;
import org.cifarresnet.checkpoint.Provenance;
import org.cifarresnet.config.ModelConfig;
import org.cifarresnet.interop.onnx.OnnxProto.GraphProto;
import org.cifarresnet.interop.onnx.OnnxProto.ModelProto;
import org.cifarresnet.interop.onnx.OnnxProto.OperatorSetIdProto;
import org.cifarresnet.interop.onnx.OnnxProto.StringStringEntryProto;
import org.cifarresnet.util.AtomicFiles;
import org.cifarresnet.util.UserError;

/**
 * Writes a checkpoint as an ONNX model for ONNX Runtime (and what loads ONNX: DJL, OpenVINO, ...):
 * input {@code images}, float32 [N, 32, 32, 3] RGB in 0..255 (NHWC, as the SavedModel takes them),
 * output {@code probabilities}, float32 [N, 10]. The preprocessing is inside, as in
 * {@link org.cifarresnet.model.CifarModel}: x / 255 minus the training set's mean image (a constant).
 *
 * <p>The graph follows {@link org.cifarresnet.model.ResNetV1} layer for layer, in ONNX's NCHW
 * layout after one transpose: per convolution a {@code Conv} (kernels turned from HWIO to OIHW),
 * per batch norm a {@code BatchNormalization} in inference form (moving mean and variance, the
 * run's epsilon), ReLU, the residual {@code Add} with the 1x1 stride-2 projection where a stage
 * starts, then {@code GlobalAveragePool} over the 8x8 map, {@code Gemm} and {@code Softmax}.
 * TensorFlow's SAME padding is written as explicit pads, since it is not symmetric for a stride-2
 * 3x3 convolution (0 before, 1 after). Weights come from the checkpoint, which holds them in float32
 * whatever precision the run trained in, so a bf16 run exports as float32 too.
 *
 * <p>Opset 13 and IR version 7 (ONNX 1.8, 2020): every op here is in it, and every ONNX Runtime
 * since 1.6 reads it.
 */
final class OnnxExport {
  static final String INPUT = "images";
  static final String OUTPUT = "probabilities";
  static final int OPSET = 13;
  static final long IR_VERSION = 7;
  private static final int[] STAGE_FILTERS = {16, 32, 64}; // as ResNetV1
  private static final int IMAGE_SIZE = 32;

  private OnnxExport() {}

  /** Writes the model whole or not at all (temporary file, then rename); the caller checked the target. */
  static void write(Path target, ModelConfig config, Map<String, Npy.Array> arrays, List<String> classNames) {
    ModelProto model = model(config, arrays, classNames);
    AtomicFiles.write(target, model::writeTo);
  }

  /** The ONNX model of this network with these weights; a missing or misshapen weight is a UserError. */
  static ModelProto model(ModelConfig config, Map<String, Npy.Array> arrays, List<String> classNames) {
    var builder = new Builder(config, arrays);
    var graph = builder.graph();
    builder.checkAllUsed();
    return ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .setProducerName("cifar-resnet").setProducerVersion(Provenance.version())
        .setDocString("ResNet" + config.depth() + " v1 for CIFAR-10 (He et al. 2015, the Keras cifar10_resnet example)."
            + " Input 'images': float32 [N,32,32,3] RGB in 0..255; output 'probabilities': float32 [N,"
            + config.classes() + "], classes in the order of metadata 'class_names'.")
        .addMetadataProps(entry("class_names", String.join(",", classNames)))
        .addMetadataProps(entry("preprocessing", "inside the graph: x / 255 - mean_image (the training set's, HWC)"))
        .setGraph(graph)
        .build();
  }

  private static StringStringEntryProto entry(String key, String value) {
    return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
  }

  /** Walks ResNetV1's structure, naming layers in its creation order as ParameterStore does. */
  private static final class Builder {
    private final ModelConfig config;
    private final Map<String, Npy.Array> arrays;
    private final Map<String, Integer> layerCounts = new HashMap<>();
    private final Set<String> used = new HashSet<>();
    private final OnnxGraph g;

    Builder(ModelConfig config, Map<String, Npy.Array> arrays) {
      this.config = config;
      this.arrays = arrays;
      this.g = new OnnxGraph("resnet" + config.depth() + "_v1", "cifar-resnet ResNet" + config.depth() + " v1");
    }

    GraphProto graph() {
      g.input(INPUT, OnnxGraph.BATCH, IMAGE_SIZE, IMAGE_SIZE, 3);
      // CifarModel's preprocessing, in its order: x / 255, minus the mean image (HWC, broadcast over N).
      String x = g.node("Div", "scaled", List.of(INPUT, g.constant("pixel_scale", new long[0], new float[] {255f})));
      x = g.node("Sub", "centred", List.of(x, weight("input.mean_image", IMAGE_SIZE, IMAGE_SIZE, 3)));
      x = g.node("Transpose", "nchw", List.of(x), OnnxGraph.ints("perm", 0, 3, 1, 2)); // ONNX convolutions are NCHW

      int size = IMAGE_SIZE;
      String stemConv = layerName("conv2d");
      String stemBn = layerName("batch_normalization");
      x = relu(batchNorm(stemBn, conv(stemConv, x, 3, 3, STAGE_FILTERS[0], 1, size), STAGE_FILTERS[0]));
      int in = STAGE_FILTERS[0];
      for (int stage = 0; stage < STAGE_FILTERS.length; stage++) {
        for (int block = 0; block < config.blocksPerStage(); block++) {
          int filters = STAGE_FILTERS[stage];
          int stride = (stage > 0 && block == 0) ? 2 : 1;
          // ResNetV1.ResidualBlock creates conv, bn, conv, bn, then the projection: names follow that order.
          String convA = layerName("conv2d");
          String bnA = layerName("batch_normalization");
          String convB = layerName("conv2d");
          String bnB = layerName("batch_normalization");
          boolean projected = stride != 1 || in != filters;
          String projection = projected ? layerName("conv2d") : null;

          String y = relu(batchNorm(bnA, conv(convA, x, 3, in, filters, stride, size), filters));
          int outSize = outputSize(size, stride);
          y = batchNorm(bnB, conv(convB, y, 3, filters, filters, 1, outSize), filters);
          String shortcut = projected ? conv(projection, x, 1, in, filters, stride, size) : x;
          x = relu(g.node("Add", bnB + ".add", List.of(shortcut, y)));
          size = outSize;
          in = filters;
        }
      }
      x = g.node("GlobalAveragePool", "pooled", List.of(x)); // the 8x8 mean: [N, 64, 1, 1]
      x = g.node("Flatten", "features", List.of(x), OnnxGraph.integer("axis", 1));
      String dense = layerName("dense");
      x = g.node("Gemm", dense, List.of(x, weight(dense + ".kernel", in, config.classes()),
          weight(dense + ".bias", config.classes())));
      g.node("Softmax", OUTPUT, List.of(x), OnnxGraph.integer("axis", 1));
      g.output(OUTPUT, OnnxGraph.BATCH, config.classes());
      return g.build();
    }

    /**
     * Keras' Conv2D(padding='same') with bias. TensorFlow's SAME pads (out - 1) * stride + k - in in
     * all, the smaller half before: for 3x3 stride 2 on an even size that is 0 before and 1 after.
     */
    private String conv(String name, String x, int k, int in, int filters, int stride, int size) {
      float[] hwio = checked(name + ".kernel", k, k, in, filters);
      float[] oihw = new float[hwio.length];
      for (int h = 0; h < k; h++) {
        for (int w = 0; w < k; w++) {
          for (int i = 0; i < in; i++) {
            for (int o = 0; o < filters; o++) {
              oihw[((o * in + i) * k + h) * k + w] = hwio[((h * k + w) * in + i) * filters + o];
            }
          }
        }
      }
      String kernel = g.constant(name + ".kernel", new long[] {filters, in, k, k}, oihw);
      int total = Math.max((outputSize(size, stride) - 1) * stride + k - size, 0);
      int before = total / 2;
      int after = total - before;
      return g.node("Conv", name, List.of(x, kernel, weight(name + ".bias", filters)),
          OnnxGraph.ints("kernel_shape", k, k), OnnxGraph.ints("strides", stride, stride),
          OnnxGraph.ints("pads", before, before, after, after)); // [top, left, bottom, right]
    }

    /** Keras BatchNormalization in inference: (x - moving_mean) / sqrt(moving_variance + eps) * gamma + beta. */
    private String batchNorm(String name, String x, int c) {
      List<String> inputs = List.of(x, weight(name + ".gamma", c), weight(name + ".beta", c),
          weight(name + ".moving_mean", c), weight(name + ".moving_variance", c));
      return g.node("BatchNormalization", name, inputs, OnnxGraph.real("epsilon", (float) config.bnEpsilon()));
    }

    private String relu(String x) {
      return g.node("Relu", x + ".relu", List.of(x));
    }

    private static int outputSize(int size, int stride) {
      return (size + stride - 1) / stride;
    }

    /** A checkpoint array as a constant of the same name and shape. */
    private String weight(String name, long... shape) {
      return g.constant(name, shape, checked(name, shape));
    }

    private float[] checked(String name, long... shape) {
      Npy.Array a = arrays.get(name);
      if (a == null || !Arrays.equals(a.shape(), shape)) {
        throw new UserError("the checkpoint's " + name + " is " + (a == null ? "missing" : "of shape "
            + Arrays.toString(a.shape())) + ", ResNet" + config.depth() + " v1 needs " + Arrays.toString(shape)
            + "; it was made for another network");
      }
      used.add(name);
      return a.data();
    }

    /** Every model array of the checkpoint went into the graph: nothing of another network was left out. */
    void checkAllUsed() {
      arrays.keySet().stream().filter(n -> !n.startsWith("optimizer.") && !used.contains(n)).sorted().findFirst()
          .ifPresent(n -> {
            throw new UserError("the checkpoint has " + n + ", which ResNet" + config.depth()
                + " v1 does not; it was made for another network");
          });
    }

    /** The next layer name of this kind, as {@link org.cifarresnet.model.ParameterStore#layerName} gives it. */
    private String layerName(String prefix) {
      int n = layerCounts.merge(prefix, 1, Integer::sum) - 1;
      return n == 0 ? prefix : prefix + "_" + n;
    }
  }
}
