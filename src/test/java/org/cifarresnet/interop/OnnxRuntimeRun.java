package org.cifarresnet.interop;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;

/** Runs an exported model with ONNX Runtime on uint8 NHWC images, as a client would: floats in 0..255. */
final class OnnxRuntimeRun {
  private OnnxRuntimeRun() {}

  /** Probabilities [n][classes] for {@code pixels} (n * 3072 bytes, NHWC), in batches of at most 500. */
  static float[][] probabilities(OrtEnvironment env, OrtSession session, byte[] pixels) throws OrtException {
    int n = pixels.length / 3072;
    float[][] out = new float[n][];
    for (int start = 0; start < n; start += 500) {
      int count = Math.min(500, n - start);
      float[] floats = new float[count * 3072];
      for (int i = 0; i < floats.length; i++) floats[i] = pixels[start * 3072 + i] & 0xFF;
      // Tensors and results hold native memory: closed at once, not left to the GC.
      try (var images = OnnxTensor.createTensor(env, FloatBuffer.wrap(floats), new long[] {count, 32, 32, 3});
          var result = session.run(Map.of("images", images))) {
        float[][] batch = (float[][]) result.get(0).getValue();
        System.arraycopy(batch, 0, out, start, count);
      }
    }
    return out;
  }

  static int argMax(float[] values) {
    int best = 0;
    for (int c = 1; c < values.length; c++) if (values[c] > values[best]) best = c;
    return best;
  }
}
