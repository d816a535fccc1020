package org.cifarresnet.interop;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.cifarresnet.config.ModelConfig;

/**
 * The weighted layers of the Keras {@code cifar10_resnet} ResNet v1 of one depth, as a Keras file
 * lists them, with the name and shape of our variable behind each Keras weight.
 *
 * <p>Two orders matter. <b>Creation order</b> gives Keras' names ({@code conv2d}, {@code conv2d_1},
 * ... in TF2 Keras) and ours ({@link org.cifarresnet.model.ParameterStore} names variables the same
 * way): per block the example creates the first 3x3 convolution, the second, then the 1x1
 * projection. <b>File order</b> is the functional model's {@code model.layers}: by depth in the
 * graph, ties broken by traversal order from the output. Within a downsampling block the projection
 * and the second batch norm both feed the {@code add}, so they tie, and the projection, being
 * {@code add}'s first input, comes first: conv_a, bn_a, conv_b, projection, bn_b. Keras'
 * {@code load_weights} pairs the file's layers with the model's by position in this order, not by
 * name, so an exported file must follow it exactly.
 */
public final class KerasLayout {
  /** Filters of the three stages (He et al. section 4.2). */
  private static final int[] STAGE_FILTERS = {16, 32, 64};

  /** What kind of Keras layer; decides which weights it has. */
  public enum Type {
    CONV("conv2d", "Conv2D", "convolution", List.of("kernel", "bias")),
    BATCH_NORM("batch_normalization", "BatchNormalization", "batch normalization",
        List.of("gamma", "beta", "moving_mean", "moving_variance")),
    DENSE("dense", "Dense", "dense layer", List.of("kernel", "bias"));

    /** Keras' name prefix for layers of this type. */
    public final String prefix;
    /** The Keras class, as a Keras 3 {@code config.json} names it ({@code class_name}). */
    public final String kerasClass;
    /** How messages call it. */
    public final String noun;
    /** Weight names in the order Keras stores them ({@code layer.weights}). */
    public final List<String> roles;

    Type(String prefix, String kerasClass, String noun, List<String> roles) {
      this.prefix = prefix;
      this.kerasClass = kerasClass;
      this.noun = noun;
      this.roles = roles;
    }
  }

  /**
   * One Keras weight.
   *
   * @param role Keras' short name: kernel, bias, gamma, beta, moving_mean, moving_variance
   * @param variable our variable's name, e.g. {@code conv2d_3.kernel}
   * @param shape its shape; Keras and we both store kernels HWIO and dense kernels [in, out]
   */
  public record Weight(String role, String variable, long[] shape) {}

  /**
   * One weighted Keras layer.
   *
   * @param name TF2 Keras' name, e.g. {@code batch_normalization_4}
   * @param type its kind
   * @param rank its place in creation order among layers of its type, from 0
   * @param stride a convolution's stride (2 where a stage starts: its first 3x3 and the projection), else 1
   * @param weights in Keras' order
   */
  public record Layer(String name, Type type, int rank, int stride, List<Weight> weights) {}

  private final ModelConfig config;
  private final List<Layer> layers = new ArrayList<>();
  private final int[] counts = new int[Type.values().length];

  private KerasLayout(ModelConfig config) {
    this.config = config;
    layers.add(conv(3, 3, STAGE_FILTERS[0], 1));
    layers.add(batchNorm(STAGE_FILTERS[0]));
    int in = STAGE_FILTERS[0];
    for (int stage = 0; stage < STAGE_FILTERS.length; stage++) {
      int filters = STAGE_FILTERS[stage];
      for (int block = 0; block < config.blocksPerStage(); block++) {
        boolean projected = stage > 0 && block == 0; // ResNetV1 downsamples here
        int stride = projected ? 2 : 1;
        Layer convA = conv(3, in, filters, stride);
        Layer convB = conv(3, filters, filters, 1);
        Layer projection = projected ? conv(1, in, filters, stride) : null; // created last
        Layer bnA = batchNorm(filters);
        Layer bnB = batchNorm(filters);
        layers.add(convA);
        layers.add(bnA);
        layers.add(convB);
        if (projection != null) layers.add(projection); // ties with bn_b; add's first input wins
        layers.add(bnB);
        in = filters;
      }
    }
    layers.add(named(Type.DENSE, 1, new long[][] {{in, config.classes()}, {config.classes()}}));
  }

  /** The layout of the network these settings describe. */
  public static KerasLayout of(ModelConfig config) {
    return new KerasLayout(config);
  }

  public ModelConfig config() {
    return config;
  }

  /** Weighted layers in file order (the functional model's {@code model.layers}). */
  public List<Layer> layers() {
    return List.copyOf(layers);
  }

  /** Layers of one type in creation order. */
  public List<Layer> ofType(Type type) {
    return layers.stream().filter(l -> l.type() == type)
        .sorted(Comparator.comparingInt(Layer::rank)).toList();
  }

  /** "ResNet20 v1", for messages. */
  public String title() {
    return "ResNet" + config.depth() + " v1";
  }

  private Layer conv(int kernel, int in, int filters, int stride) {
    return named(Type.CONV, stride, new long[][] {{kernel, kernel, in, filters}, {filters}});
  }

  private Layer batchNorm(int channels) {
    long[] c = {channels};
    return named(Type.BATCH_NORM, 1, new long[][] {c, c, c, c});
  }

  /** Names the next layer of a type as Keras and {@code ParameterStore.layerName} both do. */
  private Layer named(Type type, int stride, long[][] shapes) {
    int rank = counts[type.ordinal()]++;
    String name = rank == 0 ? type.prefix : type.prefix + "_" + rank;
    List<Weight> weights = new ArrayList<>();
    for (int i = 0; i < shapes.length; i++) {
      weights.add(new Weight(type.roles.get(i), name + "." + type.roles.get(i), shapes[i]));
    }
    return new Layer(name, type, rank, stride, List.copyOf(weights));
  }
}
