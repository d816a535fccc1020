package org.cifarresnet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;
import org.cifarresnet.cli.Main;
import org.cifarresnet.config.Precision;
import org.cifarresnet.config.Presets;
import org.cifarresnet.model.CifarModel;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TUint8;

/** The benchmark's output format and bf16's agreement with fp32. No test here asserts a speed. */
class BenchmarkTest {
  @Test
  void jsonOutputHasTheFieldsScriptsRead() {
    var out = new ByteArrayOutputStream();
    PrintStream previous = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    int exit;
    try {
      exit = Main.run("benchmark", "--json", "--batch-size", "4", "--eval-batch-size", "8", "--steps", "2", "--warmup", "1");
    } finally {
      System.setOut(previous);
    }
    assertEquals(0, exit);
    String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
    assertEquals(1, lines.length, "one JSON object: " + out);
    JsonObject json = JsonParser.parseString(lines[0]).getAsJsonObject();
    assertTrue(json.get("train_images_per_s").getAsDouble() > 0);
    assertTrue(json.get("eval_images_per_s").getAsDouble() > 0);
    assertEquals(4, json.get("batch_size").getAsInt());
    // The default, auto, names what it chose.
    assertEquals(Precision.AUTO.resolve().name().toLowerCase(Locale.ROOT), json.get("precision").getAsString());
    assertEquals(20, json.get("depth").getAsInt());
  }

  @Test
  void profileAccountsForTheConvolutionsOfATrainingStep() {
    var out = new ByteArrayOutputStream();
    PrintStream previous = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    int exit;
    try {
      exit = Main.run("benchmark", "--json", "--batch-size", "4", "--eval-batch-size", "4", "--steps", "1", "--warmup", "1",
          "--profile", "2");
    } finally {
      System.setOut(previous);
    }
    assertEquals(0, exit);
    JsonObject json = JsonParser.parseString(out.toString(StandardCharsets.UTF_8).strip()).getAsJsonObject();
    assertTrue(json.get("profile_wall_ms_per_step").getAsDouble() > 0);
    double shares = 0;
    double convolutions = 0;
    for (var row : json.getAsJsonArray("profile")) {
      var r = row.getAsJsonObject();
      shares += r.get("share").getAsDouble();
      // ResNet20 runs 21 convolutions forward (19 3x3, 2 1x1 projections), whatever the rewrites call them.
      String kernel = r.get("kernel").getAsString();
      if (kernel.contains("Conv2D") && !kernel.contains("Backprop")) convolutions += r.get("countPerStep").getAsDouble();
    }
    assertEquals(1.0, shares, 1e-6);
    assertEquals(21, convolutions, 1e-9, "forward convolutions per step: " + json.get("profile"));
  }

  @Test
  void badBenchmarkOptionsAreUsageErrors() {
    assertEquals(2, Main.run("benchmark", "--profile", "-1"));
    assertEquals(2, Main.run("benchmark", "--steps", "0"));
    assertEquals(2, Main.run("benchmark", "--depth", "21"));
    assertEquals(2, Main.run("benchmark", "--precision", "fp8"));
  }

  @Test
  void bf16MixedPrecisionGivesLossesCloseToFp32() {
    Assumptions.assumeTrue(Precision.cpuHasBf16(), "this CPU has neither AVX512_BF16 nor AMX: bf16 would be emulated");
    byte[] pixels = new byte[16 * 32 * 32 * 3];
    new Random(2).nextBytes(pixels);
    int[] labels = new Random(3).ints(16, 0, 10).toArray();
    float[][] losses = new float[2][];
    Precision[] precisions = {Precision.FP32, Precision.BF16};
    for (int p = 0; p < 2; p++) {
      var config = Presets.seed();
      try (var model = new CifarModel(config.model(), config.optimizer(), 5, precisions[p], 1);
          var images = TUint8.tensorOf(Shape.of(16, 32, 32, 3), DataBuffers.of(pixels, true, false));
          var y = TInt32.tensorOf(Shape.of(16), DataBuffers.of(labels, true, false))) {
        losses[p] = new float[5];
        for (int step = 0; step < 5; step++) losses[p][step] = model.trainStep(images, y, 1e-3f).loss();
      }
    }
    for (int step = 0; step < 5; step++) {
      assertEquals(losses[0][step], losses[1][step], 0.02 * losses[0][step], "step " + step);
    }
    assertTrue(losses[1][4] < losses[1][0], "bf16 training reduces the loss too");
  }
}
