package org.cifarresnet.interop;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.cifarresnet.checkpoint.Npy;
import org.cifarresnet.config.ModelConfig;
import org.cifarresnet.model.Mode;
import org.cifarresnet.model.Parameter;
import org.cifarresnet.model.ParameterStore;
import org.cifarresnet.model.ResNetV1;
import org.cifarresnet.platform.EngineThreads;
import org.cifarresnet.util.UserError;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Writes a checkpoint as a TensorFlow SavedModel for serving: one graph (tag {@code serve}) whose
 * {@code serving_default} signature takes {@code images}, float32 [N, 32, 32, 3] RGB in 0..255, and
 * returns {@code probabilities}, float32 [N, 10]. The preprocessing is inside the graph, as in
 * {@link org.cifarresnet.model.CifarModel}: x / 255 minus the training set's mean image, so a client
 * sends plain pixels. Float rather than uint8 input because that is what TensorFlow Serving's JSON
 * API and most clients produce; whole numbers in 0..255 give exactly the checkpoint's predictions.
 *
 * <p>The graph is built from the same {@link ResNetV1} and {@link ParameterStore} as training, in
 * inference mode, with the checkpoint's values as its variables, and written by TensorFlow Java's own
 * exporter (a TF1-style SavedModel: graph, saver and signature, no Python objects).
 */
final class SavedModelExport {
  static final String INPUT = "images";
  static final String OUTPUT = "probabilities";
  private static final String MEAN_IMAGE = "input.mean_image";

  private SavedModelExport() {}

  static void write(Path target, ModelConfig config, Map<String, Npy.Array> arrays) {
    NewDirectory.checkFree(target, "--out");
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      ParameterStore store = new ParameterStore(tf, 0); // initial values are replaced below
      ResNetV1 network = new ResNetV1(store, config);
      var mean = store.filled(MEAN_IMAGE, Shape.of(32, 32, 3), 0f, Parameter.Kind.INPUT_STAT);
      var images = tf.withName(INPUT).placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 32, 32, 3)));
      Operand<TFloat32> x = tf.math.sub(tf.math.div(images, tf.constant(255f)), mean);
      var logits = network.logits(tf.withSubScope("inference"), x, Mode.INFERENCE, new ArrayList<>());
      var probabilities = tf.withName(OUTPUT).nn.softmax(logits);

      // Values go in through placeholders, not constants, so the graph does not carry them twice.
      List<Parameter> params = store.all();
      List<Placeholder<TFloat32>> inputs = new ArrayList<>();
      List<Op> assigns = new ArrayList<>();
      for (Parameter p : params) {
        var in = tf.withName("load." + p.name()).placeholder(TFloat32.class, Placeholder.shape(p.shape()));
        inputs.add(in);
        assigns.add(tf.withName("load_assign." + p.name()).assign(p.variable(), in));
      }
      try (Session session = new Session(graph, EngineThreads.sessionConfig().build())) {
        load(session, params, inputs, assigns, arrays);
        Signature signature = Signature.builder().key(Signature.DEFAULT_KEY).methodName("tensorflow/serving/predict")
            .input(INPUT, images).output(OUTPUT, probabilities).build();
        NewDirectory.write(target, "--out", dir ->
            SavedModelBundle.exporter(dir.toString()).withFunction(SessionFunction.create(signature, session)).export());
      }
    }
  }

  private static void load(
      Session session, List<Parameter> params, List<Placeholder<TFloat32>> inputs, List<Op> assigns,
      Map<String, Npy.Array> arrays) {
    var runner = session.runner();
    List<TFloat32> tensors = new ArrayList<>();
    try {
      for (int i = 0; i < params.size(); i++) {
        Parameter p = params.get(i);
        Npy.Array a = arrays.get(p.name());
        if (a == null || !Arrays.equals(a.shape(), p.shape().asArray())) {
          throw new UserError("the checkpoint's " + p.name() + " is " + (a == null ? "missing" : "of shape "
              + Arrays.toString(a.shape())) + ", the network needs " + p.shape() + "; it was made for another network");
        }
        TFloat32 t = TFloat32.tensorOf(p.shape(), DataBuffers.of(a.data(), true, false));
        tensors.add(t);
        runner.feed(inputs.get(i), t).addTarget(assigns.get(i));
      }
      runner.run().close();
    } finally {
      tensors.forEach(TFloat32::close); // native memory: the GC does not see it
    }
  }
}
