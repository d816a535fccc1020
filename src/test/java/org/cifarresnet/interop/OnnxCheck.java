package org.cifarresnet.interop;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.cifarresnet.config.Precision;
import org.cifarresnet.data.CifarDataset;
import org.cifarresnet.data.CifarReader;
import org.cifarresnet.eval.Evaluation;
import org.cifarresnet.eval.Evaluator;
import org.cifarresnet.eval.ModelLoader;

/**
 * Checks an exported .onnx file against the checkpoint it came from on a whole CIFAR-10 test set:
 * ONNX Runtime's accuracy beside TensorFlow Java's (the {@code evaluate} path, in float32), how
 * many images' top-1 classes differ, and the largest probability difference. It needs the real
 * data, so it is a program beside the tests, not one of them; {@code bench/onnx-check.sh} runs it.
 *
 * <p>Usage: {@code OnnxCheck MODEL.onnx RUN_DIR|CHECKPOINT CIFAR_ARCHIVE_OR_FOLDER}
 */
public final class OnnxCheck {
  private OnnxCheck() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: OnnxCheck MODEL.onnx RUN_DIR|CHECKPOINT CIFAR_ARCHIVE_OR_FOLDER");
      System.exit(2);
    }
    Path onnx = Path.of(args[0]);
    CifarDataset data = CifarReader.read(Path.of(args[2]));
    int n = data.test().size();

    Evaluation tf;
    try (var loaded = ModelLoader.load(Path.of(args[1]), Precision.FP32, 0);
        var evaluator = new Evaluator(data.test(), data.classNames(), 1000)) {
      tf = evaluator.evaluate(loaded.model());
    }
    var env = OrtEnvironment.getEnvironment();
    float[][] ort;
    try (var session = env.createSession(onnx.toString(), new OrtSession.SessionOptions())) {
      ort = OnnxRuntimeRun.probabilities(env, session, data.test().images());
    }

    int correct = 0;
    int disagree = 0;
    double worst = 0;
    for (int i = 0; i < n; i++) {
      int top = OnnxRuntimeRun.argMax(ort[i]);
      if (top == data.test().labels()[i]) correct++;
      float[] ours = Arrays.copyOfRange(tf.probabilities(), i * 10, i * 10 + 10);
      if (top != OnnxRuntimeRun.argMax(ours)) disagree++;
      for (int c = 0; c < 10; c++) worst = Math.max(worst, Math.abs(ort[i][c] - ours[c]));
    }
    System.out.printf(Locale.ROOT, "%s on %,d test images of %s%n", onnx, n, args[2]);
    System.out.printf(Locale.ROOT, "ONNX Runtime %-8s accuracy %.4f (%,d / %,d)%n", env.getVersion(), (double) correct / n, correct, n);
    System.out.printf(Locale.ROOT, "TF Java fp32         accuracy %.4f%n", tf.accuracy());
    System.out.printf(Locale.ROOT, "top-1 differs on %d images; largest probability difference %.2e%n", disagree, worst);
  }
}
