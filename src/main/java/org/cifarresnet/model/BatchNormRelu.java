package org.cifarresnet.model;

import java.util.List;
import org.cifarresnet.config.Precision;
import org.cifarresnet.platform.EngineThreads;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Session;
import org.tensorflow.TensorFlow;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.FusedBatchNormGrad;
import org.tensorflow.types.TFloat32;

/**
 * Training-mode batch norm and the ReLU after it as one kernel: TensorFlow's {@code
 * _FusedBatchNormEx} with {@code activation_mode=Relu}, which the oneDNN build runs as one
 * normalisation with the ReLU applied on the way out. Saves a pass over the activations per site;
 * in bf16 runs it also saves an element-wise ReLU that this TensorFlow build does in slow scalar
 * code (docs/speed.md, "What was tried").
 *
 * <p>Grappler would make this fusion by itself, but not in training graphs: TensorFlow's C++ ReLU
 * gradient reads the ReLU's input, which gives the batch norm's output a second consumer. Here the
 * gradient reads the ReLU's output instead (relu'(z) = 1 exactly where relu(z) > 0), so the pair
 * differentiates to ReluGrad then FusedBatchNormGradV3, the ops TensorFlow's own gradients use.
 * The op has no gradient of its own, so the one below is registered once per process. It wants a
 * channel count divisible by 4 (ours are 16, 32, 64).
 *
 * <p>Only TensorFlow's oneDNN kernels run the op in training mode. TensorFlow turns oneDNN on by
 * default only on CPUs with AVX512_VNNI, AVX512_BF16, AVX_VNNI or AMX (and where
 * TF_ENABLE_ONEDNN_OPTS=1), and runs bf16 in oneDNN only on CPUs with AVX-512; elsewhere, an AVX2
 * laptop or an AMD EPYC among them, the plain CPU kernel leaves the outputs unset and the step fails
 * with "Missing 0-th output". So {@link #available} says whether to use it, and callers fall back to
 * the separate ops.
 */
final class BatchNormRelu {
  static final String OP = "_FusedBatchNormEx";

  /** Outputs of the fused op: y = relu(bn(x)), and the batch statistics Keras' moving averages need. */
  record Result(Output<TFloat32> y, Output<TFloat32> batchMean, Output<TFloat32> batchVariance) {}

  private BatchNormRelu() {}

  static Result training(Ops tf, Operand<TFloat32> x, Operand<TFloat32> gamma, Operand<TFloat32> beta, float epsilon) {
    registerGradient();
    Operand<TFloat32> empty = tf.constant(new float[0]); // training: the op computes the batch's own statistics
    var scope = tf.scope();
    var builder = scope.opBuilder(OP, "FusedBatchNormRelu");
    GraphOperation op =
        (GraphOperation)
            builder
                .addInput(x.asOutput())
                .addInput(gamma.asOutput())
                .addInput(beta.asOutput())
                .addInput(empty.asOutput())
                .addInput(empty.asOutput())
                .addInputList(new Output<?>[0]) // no side input
                .setAttr("epsilon", epsilon)
                .setAttr("exponential_avg_factor", 1f)
                .setAttr("activation_mode", "Relu")
                .setAttr("data_format", "NHWC")
                .setAttr("is_training", true)
                .build();
    return new Result(floatOutput(op, 0), floatOutput(op, 1), floatOutput(op, 2));
  }

  private static Boolean available;

  /**
   * Whether this process's TensorFlow runs the fused op in training mode, in this precision; the
   * kernel is found out once, by running it on a 1x1x1x4 input (a few milliseconds). In bf16 the op
   * runs in bf16, which oneDNN does only on CPUs with AVX-512 (TensorFlow's own test, see {@link
   * Precision#oneDnnRunsBf16}); a probe in fp32 cannot tell, and the mixed-precision rewrite leaves a
   * probe this small in fp32.
   */
  static synchronized boolean available(Precision precision) {
    if (available == null) available = probe();
    return available && (precision.resolve() != Precision.BF16 || Precision.oneDnnRunsBf16());
  }

  private static boolean probe() {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      var ones = tf.constant(new float[] {1, 1, 1, 1});
      var zeros = tf.constant(new float[] {0, 0, 0, 0});
      var x = tf.constant(new float[][][][] {{{{-1, 0, 1, 2}}}, {{{1, 2, -3, 4}}}});
      var result = training(tf, x, ones, zeros, 1e-3f);
      try (Session session = new Session(graph, EngineThreads.sessionConfig().build());
          var outputs = session.runner().fetch(result.y()).fetch(result.batchMean()).run()) {
        return outputs.size() == 2;
      }
    } catch (TensorFlowException e) {
      return false; // the plain kernel: "Missing 0-th output from {{node FusedBatchNormRelu}}"
    }
  }

  private static boolean registered;

  private static synchronized void registerGradient() {
    if (registered) return;
    if (!TensorFlow.registerCustomGradient(OP, BatchNormRelu::gradient)) {
      throw new IllegalStateException("TensorFlow refused a gradient for " + OP);
    }
    registered = true;
  }

  /**
   * Gradients of x, gamma and beta from the gradient of y.
   * Outputs 1-5 (batch statistics, saved statistics) feed no loss, so their gradients are ignored.
   */
  @SuppressWarnings("unchecked")
  private static List<Operand<?>> gradient(Ops tf, GraphOperation op, List<Output<?>> dOutputs) {
    var y = floatOutput(op, 0);
    var dy = (Output<TFloat32>) dOutputs.get(0);
    var dz = tf.nn.reluGrad(dy, y); // gradient at the batch norm's output, before the ReLU
    // The gradient normalises as the op did: same epsilon, same layout.
    var attributes = op.attributes();
    var grad =
        tf.nn.fusedBatchNormGrad(
            dz,
            (Operand<TFloat32>) op.input(0),
            (Operand<TFloat32>) op.input(1),
            floatOutput(op, 3),
            floatOutput(op, 4),
            floatOutput(op, 5),
            FusedBatchNormGrad.epsilon(attributes.getAttrFloat("epsilon")),
            FusedBatchNormGrad.dataFormat(attributes.getAttrString("data_format")),
            FusedBatchNormGrad.isTraining(true));
    // The statistics inputs are empty constants; TF Java wants an operand for them all the same.
    var none = tf.zerosLike(op.input(3));
    return List.of(grad.xBackprop(), grad.scaleBackprop(), grad.offsetBackprop(), none, none);
  }

  private static Output<TFloat32> floatOutput(GraphOperation op, int index) {
    return op.output(index);
  }
}
