package org.cifarresnet.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.types.TFloat32;

/** The fused training-mode batch norm + ReLU against TensorFlow's own two ops and their gradients. */
class BatchNormReluTest {
  private static final Shape X_SHAPE = Shape.of(4, 5, 5, 4); // NHWC; the fused op wants channels in fours
  private static final float EPSILON = 1e-3f;

  @Test
  void outputStatisticsAndGradientsMatchBatchNormThenRelu() {
    var rnd = new Random(11);
    float[] x = random(rnd, (int) X_SHAPE.size(), 2f);
    float[] gamma = {1.5f, 0.5f, -1f, 1f};
    float[] beta = {0.2f, -0.3f, 0.1f, 0f};
    float[] upstream = random(rnd, (int) X_SHAPE.size(), 1f); // d loss / d y, a random direction

    List<float[]> reference = run(x, gamma, beta, upstream, false);
    List<float[]> fused = run(x, gamma, beta, upstream, true);

    String[] names = {"y", "batch mean", "batch variance", "d x", "d gamma", "d beta"};
    for (int i = 0; i < names.length; i++) {
      float[] want = reference.get(i);
      float[] got = fused.get(i);
      assertEquals(want.length, got.length, names[i]);
      for (int j = 0; j < want.length; j++) {
        assertEquals(want[j], got[j], 1e-4f * (1 + Math.abs(want[j])), names[i] + "[" + j + "]");
      }
    }
    // The ReLU is really there: some outputs are clamped to zero, and their gradient does not pass.
    assertTrue(count(fused.get(0), 0f) > 10, "some activations are zero");
  }

  /** y, batch mean, batch variance, then the gradients of sum(y * upstream) for x, gamma, beta. */
  private static List<float[]> run(float[] x, float[] gamma, float[] beta, float[] upstream, boolean fused) {
    try (var graph = new Graph()) {
      Ops tf = Ops.create(graph);
      var xIn = tf.constant(X_SHAPE, DataBuffers.of(x));
      // The gradients are taken with respect to variables, as in the model.
      var xVar = tf.variable(xIn);
      var gammaVar = tf.variable(tf.constant(gamma));
      var betaVar = tf.variable(tf.constant(beta));
      Operand<TFloat32> y;
      Operand<TFloat32> mean;
      Operand<TFloat32> variance;
      if (fused) {
        var bn = BatchNormRelu.training(tf, xVar, gammaVar, betaVar, EPSILON);
        y = bn.y();
        mean = bn.batchMean();
        variance = bn.batchVariance();
      } else {
        Operand<TFloat32> empty = tf.constant(new float[0]);
        var bn =
            tf.nn.fusedBatchNorm(xVar, gammaVar, betaVar, empty, empty,
                FusedBatchNorm.epsilon(EPSILON), FusedBatchNorm.isTraining(true));
        y = tf.nn.relu(bn.y());
        mean = bn.batchMean();
        variance = bn.batchVariance();
      }
      var loss = tf.reduceSum(tf.math.mul(y, tf.constant(X_SHAPE, DataBuffers.of(upstream))), tf.constant(new int[] {0, 1, 2, 3}));
      var grads = tf.gradients(loss, List.of(xVar, gammaVar, betaVar));
      try (var session = new Session(graph)) {
        session.initialize();
        var runner = session.runner().fetch(y).fetch(mean).fetch(variance);
        for (int i = 0; i < 3; i++) runner.fetch(grads.dy(i));
        List<float[]> values = new ArrayList<>();
        try (var result = runner.run()) {
          for (int i = 0; i < result.size(); i++) {
            var t = (TFloat32) result.get(i);
            float[] data = new float[(int) t.shape().size()];
            t.copyTo(DataBuffers.of(data, false, false));
            values.add(data);
          }
        }
        return values;
      }
    }
  }

  private static float[] random(Random rnd, int n, float scale) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) a[i] = (float) rnd.nextGaussian() * scale;
    return a;
  }

  private static int count(float[] a, float value) {
    int n = 0;
    for (float v : a) if (v == value) n++;
    return n;
  }
}
