package org.cifarresnet.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.cifarresnet.config.ModelConfig;
import org.cifarresnet.config.OptimizerConfig;
import org.cifarresnet.config.Precision;
import org.cifarresnet.platform.Device;
import org.cifarresnet.platform.EngineThreads;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.RewriterConfig;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.proto.StepStats;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TUint8;

/**
 * A ResNet v1 in a TensorFlow graph and session: preprocessing (x / 255 minus the training set's
 * mean image, inside the graph, so callers feed raw uint8 pixels), inference, and, when built with
 * an optimizer, the training step. Owns native memory: close it.
 */
public final class CifarModel implements AutoCloseable {
  public static final int IMAGE_SIZE = 32;
  public static final int CHANNELS = 3;

  private final ModelConfig config;
  private final Graph graph;
  private final Ops tf;
  private final ParameterStore store;
  private final Session session;

  private final Placeholder<TUint8> images;
  private final Placeholder<TInt32> labels;
  private final Placeholder<TFloat32> learningRate;
  private final Operand<TFloat32> probabilities;
  private final Precision precision;
  private final Operand<TFloat32> sampleLoss; // cross-entropy per image, inference mode
  private final Operand<TFloat32> l2Term;
  private final Op trainStep; // null without an optimizer
  private final WeightAverage average; // null unless training with a weight average
  private final Operand<TFloat32> trainLoss;
  private final Operand<TFloat32> trainCorrect;
  private final Map<String, Parameter> byName = new LinkedHashMap<>();
  private final Map<String, Placeholder<TFloat32>> assignInputs = new HashMap<>();
  private final Map<String, Op> assignOps = new HashMap<>();

  /**
   * Builds the graph and opens a session.
   *
   * @param optimizer null for an inference-only model (evaluate, predict)
   * @param threads engine threads, 0 for all cores; TensorFlow sizes its pools once per process, so this
   *     applies only if no session opened before ({@link EngineThreads})
   */
  public CifarModel(ModelConfig config, OptimizerConfig optimizer, long seed, Precision precision, int threads) {
    this(config, optimizer, seed, precision, threads, 0);
  }

  /**
   * As {@link #CifarModel(ModelConfig, OptimizerConfig, long, Precision, int)}, keeping a moving
   * average of the weights with this decay (0: none; only with an optimizer).
   */
  public CifarModel(
      ModelConfig config, OptimizerConfig optimizer, long seed, Precision precision, int threads, double averageDecay) {
    this(config, optimizer, seed, precision, threads, averageDecay, Device.CPU);
  }

  /**
   * As above, with the session on {@code device}.
   *
   * @param device CPU or GPU (resolved, see {@link Device#resolve()})
   */
  public CifarModel(
      ModelConfig config, OptimizerConfig optimizer, long seed, Precision precision, int threads, double averageDecay,
      Device device) {
    this.config = config;
    this.precision = precision.resolve(device);
    // Before anything opens a session (the fused-kernel probe below does): the first one sizes
    // TensorFlow's thread pools for the process. No effect if another session sized them already.
    EngineThreads.set(threads);
    this.graph = new Graph();
    this.tf = Ops.create(graph);
    this.store = new ParameterStore(tf, seed);
    var network = new ResNetV1(store, config, optimizer != null && BatchNormRelu.available(precision));
    var meanImage =
        store.filled("input.mean_image", Shape.of(IMAGE_SIZE, IMAGE_SIZE, CHANNELS), 0f, Parameter.Kind.INPUT_STAT);

    images = tf.withName("images").placeholder(TUint8.class, Placeholder.shape(Shape.of(-1, IMAGE_SIZE, IMAGE_SIZE, CHANNELS)));
    labels = tf.withName("labels").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    learningRate = tf.withName("learning_rate").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    // The Keras example's preprocessing: x / 255, minus the per-pixel mean of the training set.
    Operand<TFloat32> x =
        tf.math.sub(tf.math.div(tf.dtypes.cast(images, TFloat32.class), tf.constant(255f)), meanImage);
    Operand<TFloat32> oneHot = tf.oneHot(labels, tf.constant(config.classes()), tf.constant(1f), tf.constant(0f));
    l2Term = l2(store, config.l2());

    Operand<TFloat32> logits = network.logits(tf.withSubScope("inference"), x, Mode.INFERENCE, new ArrayList<>());
    probabilities = tf.withName("probabilities").nn.softmax(logits);
    sampleLoss = crossEntropy(tf, logits, oneHot);

    if (optimizer == null) {
      trainStep = null;
      trainLoss = null;
      trainCorrect = null;
    } else {
      Ops train = tf.withSubScope("training");
      List<Op> bnUpdates = new ArrayList<>();
      Operand<TFloat32> trainLogits = network.logits(train, x, Mode.TRAINING, bnUpdates);
      var xent = crossEntropy(train, trainLogits, smoothed(train, oneHot, config.labelSmoothing(), config.classes()));
      trainLoss = train.math.add(train.math.mean(xent, train.constant(0)), l2Term);
      trainCorrect = correctCount(train, trainLogits, labels);
      List<Parameter> trainable = store.trainable();
      var grads = train.gradients(trainLoss, trainable.stream().map(Parameter::variable).toList());
      List<Operand<TFloat32>> gradients = new ArrayList<>();
      for (int i = 0; i < trainable.size(); i++) gradients.add(grads.dy(i));
      Op update =
          optimizer.algorithm() == OptimizerConfig.Algorithm.ADAM
              ? Adam.minimize(train, store, trainable, gradients, learningRate, optimizer)
              : MomentumSgd.minimize(train, store, trainable, gradients, learningRate, optimizer);
      List<Op> all = new ArrayList<>(bnUpdates);
      all.add(update);
      trainStep = train.withControlDependencies(all).withName("train_step").noOp();
    }
    average = optimizer != null && averageDecay > 0 ? new WeightAverage(tf, store) : null;
    for (Parameter p : store.all()) byName.put(p.name(), p);
    session = new Session(graph, sessionConfig(precision, device));
  }

  /**
   * Per-image cross-entropy -sum(onehot * log_softmax(logits)), Keras' categorical_crossentropy on
   * the softmax output. Built from log-softmax because the C++ gradient of the fused
   * SoftmaxCrossEntropyWithLogits op dereferences the missing gradient of its second output and
   * crashes the process when called from TF Java's addGradients.
   */
  private static Operand<TFloat32> crossEntropy(Ops tf, Operand<TFloat32> logits, Operand<TFloat32> oneHot) {
    return tf.math.neg(tf.reduceSum(tf.math.mul(oneHot, tf.nn.logSoftmax(logits)), tf.constant(1)));
  }

  /** Label smoothing: (1 - s) * onehot + s / classes; the identity for s = 0. */
  private static Operand<TFloat32> smoothed(Ops tf, Operand<TFloat32> oneHot, double s, int classes) {
    if (s == 0) return oneHot;
    return tf.math.add(tf.math.mul(oneHot, tf.constant((float) (1 - s))), tf.constant((float) (s / classes)));
  }

  /**
   * L2 on convolution kernels only, as Keras' kernel_regularizer=l2(1e-4): l2 * sum(w^2), written
   * as 2 * l2 * L2Loss(w) since L2Loss(w) = sum(w^2) / 2. (Square would do, but the C++ gradient
   * of Square casts to its input's type, which for a reference variable is not a valid type.)
   */
  private static Operand<TFloat32> l2(ParameterStore store, double weight) {
    Ops tf = store.ops();
    List<Operand<TFloat32>> terms = new ArrayList<>();
    for (Parameter p : store.ofKind(Parameter.Kind.KERNEL)) terms.add(tf.nn.l2Loss(p.variable()));
    return tf.math.mul(tf.math.addN(terms), tf.constant((float) (2 * weight)));
  }

  private static Operand<TFloat32> correctCount(Ops tf, Operand<TFloat32> logits, Operand<TInt32> labels) {
    var predicted = tf.math.argMax(logits, tf.constant(1), TInt32.class);
    return tf.reduceSum(tf.dtypes.cast(tf.math.equal(predicted, labels), TFloat32.class), tf.constant(0));
  }

  private static ConfigProto sessionConfig(Precision precision, Device device) {
    var rewrite = RewriterConfig.newBuilder();
    if (precision.resolve(device) == Precision.BF16) {
      // oneDNN's auto-mixed-precision pass: convolutions and matmuls in bf16, variables and the
      // optimizer in float32. Faster only where the CPU computes in bf16 (AVX512_BF16, AMX); on
      // others TensorFlow falls back to slower kernels (docs/speed.md, docs/reliability.md).
      rewrite.setAutoMixedPrecisionOnednnBfloat16(RewriterConfig.Toggle.ON);
    }
    var builder = EngineThreads.sessionConfig().setGraphOptions(GraphOptions.newBuilder().setRewriteOptions(rewrite));
    if (device == Device.GPU) {
      // TensorFlow's placer puts each op on the GPU where it has a GPU kernel; soft placement lets
      // any without one run on the CPU instead of failing. Memory grows as needed rather than
      // TensorFlow taking the whole card when the session opens.
      builder.setAllowSoftPlacement(true).setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true));
    } else {
      builder.putDeviceCount("GPU", 0); // the CPU even in a GPU build: no GPU device is created
    }
    return builder.build();
  }

  public ModelConfig config() {
    return config;
  }

  /** The precision this model computes in (auto resolved). */
  public Precision precision() {
    return precision;
  }

  public long trainableParameterCount() {
    return store.trainableCount();
  }

  public long kerasParameterCount() {
    return store.kerasTotalCount();
  }

  public List<Parameter> parameters() {
    return store.all();
  }

  public boolean trainable() {
    return trainStep != null;
  }

  /** Loss and number of correct predictions of one training step. */
  public record StepResult(float loss, int correct) {}

  /**
   * One training step (forward, backward, Adam, batch-norm statistics) on a batch of uint8 NHWC
   * images. The caller owns, and closes, the tensors it passes.
   */
  public StepResult trainStep(TUint8 batchImages, TInt32 batchLabels, float lr) {
    try (TFloat32 rate = TFloat32.scalarOf(lr);
        // Result holds native tensors: close it every step, the GC does not see native memory.
        var result = trainRunner(batchImages, batchLabels, rate).fetch(trainLoss).fetch(trainCorrect).run()) {
      return new StepResult(((TFloat32) result.get(0)).getFloat(), Math.round(((TFloat32) result.get(1)).getFloat()));
    }
  }

  /**
   * One training step like {@link #trainStep}, traced: the engine's record of every kernel it ran
   * (after graph rewrites), with start and end times. Slower than an untraced step; for profiling.
   */
  public StepStats tracedTrainStep(TUint8 batchImages, TInt32 batchLabels, float lr) {
    var trace = RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build();
    try (TFloat32 rate = TFloat32.scalarOf(lr);
        var result = trainRunner(batchImages, batchLabels, rate).setOptions(trace).runAndFetchMetadata()) {
      return result.getMetadata().orElseThrow(() -> new IllegalStateException("no run metadata")).getStepStats();
    }
  }

  /** A run of the training step on this batch at this rate; the caller adds fetches and runs it. */
  private Session.Runner trainRunner(TUint8 batchImages, TInt32 batchLabels, TFloat32 rate) {
    if (trainStep == null) throw new IllegalStateException("this model was built without an optimizer");
    return session.runner()
        .feed(images, batchImages).feed(labels, batchLabels).feed(learningRate, rate).addTarget(trainStep);
  }

  /** Class probabilities [n][classes] and per-image cross-entropy for a labelled batch, inference mode. */
  public record Inference(float[] probabilities, float[] losses, int count, int classes) {
    public int predicted(int i) {
      int best = 0;
      for (int c = 1; c < classes; c++) {
        if (probabilities[i * classes + c] > probabilities[i * classes + best]) best = c;
      }
      return best;
    }
  }

  public Inference infer(TUint8 batchImages, TInt32 batchLabels) {
    int n = (int) batchImages.shape().get(0);
    try (var result =
        session.runner().feed(images, batchImages).feed(labels, batchLabels)
            .fetch(probabilities).fetch(sampleLoss).run()) {
      float[] probs = new float[n * config.classes()];
      float[] losses = new float[n];
      ((TFloat32) result.get(0)).copyTo(DataBuffers.of(probs, false, false));
      ((TFloat32) result.get(1)).copyTo(DataBuffers.of(losses, false, false));
      return new Inference(probs, losses, n, config.classes());
    }
  }

  /** Class probabilities for unlabelled images, [n * classes], inference mode. */
  public float[] probabilities(TUint8 batchImages) {
    int n = (int) batchImages.shape().get(0);
    try (var result = session.runner().feed(images, batchImages).fetch(probabilities).run()) {
      float[] probs = new float[n * config.classes()];
      ((TFloat32) result.get(0)).copyTo(DataBuffers.of(probs, false, false));
      return probs;
    }
  }

  /** The L2 regularisation term as it is now; added to the mean cross-entropy it gives Keras' loss. */
  public float l2Term() {
    try (var result = session.runner().fetch(l2Term).run()) {
      return ((TFloat32) result.get(0)).getFloat();
    }
  }

  /** Whether this model keeps a moving average of its weights. */
  public boolean averaging() {
    return average != null;
  }

  /**
   * Moves the weight average towards the current weights; call after each training step.
   *
   * @param decay the average's decay (its rate at early steps is lowered: see WeightAverage)
   * @param step 0-based count of training steps done before this one, over the whole run
   */
  public void updateAverage(double decay, long step) {
    try (TFloat32 d = TFloat32.scalarOf((float) WeightAverage.decayAt(decay, step))) {
      session.runner().feed(average.decay, d).addTarget(average.update).run().close();
    }
  }

  /** The averaged values under the weights' own names (empty without an average). */
  public Map<String, float[]> averagedWeights() {
    if (average == null) return Map.of();
    List<Parameter> averages = average.weights().stream().map(average::averageOf).toList();
    Map<String, float[]> byAverage = read(averages);
    Map<String, float[]> result = new LinkedHashMap<>();
    for (Parameter w : average.weights()) result.put(w.name(), byAverage.get(average.averageOf(w).name()));
    return result;
  }

  /**
   * Runs {@code work} with the averaged weights in place of the current ones, then puts the current
   * ones back bit for bit; without an average, just runs it.
   */
  public <T> T withAveragedWeights(Supplier<T> work) {
    if (average == null) return work.get();
    Map<String, float[]> current = read(average.weights());
    write(averagedWeights());
    try {
      return work.get();
    } finally {
      write(current);
    }
  }

  /** Current values of the named variables, in the given order. */
  public Map<String, float[]> read(List<Parameter> which) {
    var runner = session.runner();
    for (Parameter p : which) runner.fetch(p.variable());
    Map<String, float[]> values = new LinkedHashMap<>();
    try (var result = runner.run()) {
      for (int i = 0; i < which.size(); i++) {
        float[] data = new float[(int) which.get(i).size()];
        ((TFloat32) result.get(i)).copyTo(DataBuffers.of(data, false, false));
        values.put(which.get(i).name(), data);
      }
    }
    return values;
  }

  /** Sets variables by name; every name must exist and every array must have the variable's size. */
  public void write(Map<String, float[]> values) {
    var runner = session.runner();
    List<TFloat32> inputs = new ArrayList<>();
    try {
      for (var entry : values.entrySet()) {
        Parameter p = byName.get(entry.getKey());
        if (p == null) throw new IllegalArgumentException("the model has no variable " + entry.getKey());
        if (entry.getValue().length != p.size()) {
          throw new IllegalArgumentException(
              "variable " + p.name() + " has " + p.size() + " values, got " + entry.getValue().length);
        }
        TFloat32 t = TFloat32.tensorOf(p.shape(), DataBuffers.of(entry.getValue(), true, false));
        inputs.add(t);
        runner.feed(assignInput(p), t).addTarget(assignOp(p));
      }
      if (!inputs.isEmpty()) runner.run().close();
    } finally {
      inputs.forEach(TFloat32::close);
    }
  }

  public Parameter parameter(String name) {
    return byName.get(name);
  }

  // Assignment ops are made on first use: the graph may grow after the session opened.
  private synchronized Placeholder<TFloat32> assignInput(Parameter p) {
    return assignInputs.computeIfAbsent(
        p.name(), n -> tf.withName("assign_value." + n).placeholder(TFloat32.class, Placeholder.shape(p.shape())));
  }

  private synchronized Op assignOp(Parameter p) {
    return assignOps.computeIfAbsent(p.name(), n -> tf.withName("assign." + n).assign(p.variable(), assignInput(p)));
  }

  /** Sets the training set's per-pixel mean image (HWC, values in 0..1) used by preprocessing. */
  public void setMeanImage(float[] mean) {
    write(Map.of("input.mean_image", mean));
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
