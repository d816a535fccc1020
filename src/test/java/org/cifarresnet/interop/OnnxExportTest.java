package org.cifarresnet.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.cifarresnet.cli.Cli;
import org.cifarresnet.data.CifarReader;
import org.cifarresnet.data.Split;
import org.cifarresnet.data.TinyCifar;
import org.cifarresnet.interop.onnx.OnnxProto.ModelProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exported .onnx file, run by an outside reader (ONNX Runtime's Java API), gives the
 * probabilities of our own TensorFlow inference (the evaluate / predict path) on 256 test images
 * read from a CIFAR-10 archive in the official layout.
 */
class OnnxExportTest {
  /**
   * Float32 through two engines with different kernels and fusions; seen: 2e-6 at most. A slip such
   * as symmetric padding for the stride-2 convolutions gives 0.05 on the trained network.
   */
  static final double TOLERANCE = 1e-4;
  private static final int IMAGES = 256;

  @TempDir Path dir;

  @Test
  void aTrainedResNet20ExportsFromItsRunDirectory() throws Exception {
    // Trained for a few steps: batch-norm statistics from data, and a network that tells the tiny
    // classes apart, so that the top-1 comparison covers several classes and a slip near the input
    // (padding, layout, mean image) shows.
    Path run = dir.resolve("run");
    var r = Cli.run("train", "--data", archive().toString(), "--out", run.toString(), "--preset", "keras",
        "--depth", "20", "--epochs", "2", "--no-augment", "--batch-size", "16", "--seed", "5", "--threads", "1",
        "--precision", "fp32");
    assertEquals(0, r.exit(), r.err());
    assertOnnxRuntimeAgrees(run, 20, 3);
  }

  @Test
  void aRandomResNet8CheckpointFile() throws Exception {
    // Random weights, batch-norm statistics and mean image: every value's place shows in the output.
    Path checkpoint = Fixtures.randomCheckpoint(dir.resolve("model.npz"), 8, 48);
    assertOnnxRuntimeAgrees(checkpoint, 8, 2);
  }

  /** Exports {@code model} through the command line and compares ONNX Runtime's output with ours. */
  private void assertOnnxRuntimeAgrees(Path model, int depth, int minClasses) throws Exception {
    Path onnx = dir.resolve("out").resolve("model.onnx");
    var r = Cli.run("export", model.toString(), "--format", "onnx", "--out", onnx.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("ONNX model (opset 13) of ResNet" + depth + " v1"), r.out());

    Split test = CifarReader.read(archive()).test();
    assertEquals(IMAGES, test.size());
    float[] expected = Fixtures.probabilities(model, test.images());

    var env = OrtEnvironment.getEnvironment();
    try (var session = env.createSession(onnx.toString(), new OrtSession.SessionOptions())) {
      assertShape(session.getInputInfo(), "images", -1, 32, 32, 3);
      assertShape(session.getOutputInfo(), "probabilities", -1, 10);
      assertEquals(String.join(",", TinyCifar.CLASS_NAMES), session.getMetadata().getCustomMetadata().get("class_names"));
      float[][] actual = OnnxRuntimeRun.probabilities(env, session, test.images());

      Set<Integer> predicted = new HashSet<>();
      double worst = 0;
      for (int i = 0; i < IMAGES; i++) {
        for (int c = 0; c < 10; c++) {
          worst = Math.max(worst, Math.abs(actual[i][c] - expected[i * 10 + c]));
        }
        int top = OnnxRuntimeRun.argMax(actual[i]);
        assertEquals(OnnxRuntimeRun.argMax(Arrays.copyOfRange(expected, i * 10, i * 10 + 10)), top, "top-1 of image " + i);
        predicted.add(top);
      }
      assertTrue(worst <= TOLERANCE, "largest difference " + worst);
      // Not a vacuous match: the network tells the images apart.
      assertTrue(predicted.size() >= minClasses, "predicted classes " + predicted);
    }

    ModelProto proto = ModelProto.parseFrom(Files.readAllBytes(onnx));
    assertEquals(13, proto.getOpsetImport(0).getVersion());
    long convs = proto.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Conv")).count();
    assertEquals(depth - 1 + 2, convs, "depth - 1 convolutions and two 1x1 projections");
  }

  /** 256 test images (and 10 per training batch) in the official binary layout. */
  private Path archive() {
    Path file = dir.resolve("cifar-10-binary.tar.gz");
    return Files.exists(file) ? file : TinyCifar.writeArchive(file, 40, IMAGES, 7);
  }

  private static void assertShape(Map<String, NodeInfo> infos, String name, long... shape) {
    assertEquals(Set.of(name), infos.keySet());
    TensorInfo info = (TensorInfo) infos.get(name).getInfo();
    assertEquals(ai.onnxruntime.OnnxJavaType.FLOAT, info.type);
    assertArrayEquals(shape, info.getShape());
  }
}
