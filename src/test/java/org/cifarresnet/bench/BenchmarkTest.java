package org.cifarresnet.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.cifarresnet.cli.Cli;
import org.cifarresnet.model.Bf16Check;
import org.junit.jupiter.api.Test;

/** The benchmark's output format and options. No test here asserts a speed. */
class BenchmarkTest {
  private static JsonObject json(String... options) {
    var args = new ArrayList<>(List.of("benchmark", "--json", "--eval-batch-size", "4", "--warmup", "1"));
    args.addAll(List.of(options));
    Cli.Outcome r = Cli.run(args.toArray(String[]::new));
    assertEquals(0, r.exit(), r.err());
    List<String> lines = r.out().strip().lines().toList();
    assertEquals(1, lines.size(), "one JSON object: " + r.out());
    return JsonParser.parseString(lines.get(0)).getAsJsonObject();
  }

  @Test
  void jsonOutputHasTheFieldsScriptsRead() {
    JsonObject json = json("--batch-size", "4", "--steps", "2", "--precision", "fp32");
    assertTrue(json.get("train_images_per_s").getAsDouble() > 0);
    assertTrue(json.get("eval_images_per_s").getAsDouble() > 0);
    assertEquals(4, json.get("batch_size").getAsInt());
    assertEquals("fp32", json.get("precision").getAsString());
    assertEquals(20, json.get("depth").getAsInt());
  }

  /**
   * Auto picks bf16 exactly where the CPU computes in it. The expectation comes from the CPU's flags as
   * the kernel lists them, not from the program's own decision, which the command reports.
   */
  @Test
  void autoPrecisionIsBf16ExactlyWhereTheCpuHasItAndItPassesItsCheck() throws IOException {
    Path cpuinfo = Path.of("/proc/cpuinfo");
    assumeTrue(Files.isReadable(cpuinfo), "no /proc/cpuinfo (not Linux): auto falls back to fp32 without evidence");
    String flagsLine = Files.readAllLines(cpuinfo).stream().filter(l -> l.startsWith("flags")).findFirst().orElseThrow();
    Set<String> flags = Set.of(flagsLine.substring(flagsLine.indexOf(':') + 1).trim().split("\\s+"));
    boolean hardware = flags.contains("avx512_bf16") || flags.contains("amx_bf16");
    String expected = hardware && Bf16Check.result().passed() ? "bf16" : "fp32";
    assertEquals(expected, json("--batch-size", "2", "--steps", "1", "--depth", "8").get("precision").getAsString());
  }

  @Test
  void anExplicitBf16IsWhatRunsOrIsRefusedWhereItComputesWrongly() {
    if (Bf16Check.result().passed()) {
      assertEquals("bf16", json("--batch-size", "2", "--steps", "1", "--depth", "8", "--precision", "bf16")
          .get("precision").getAsString());
    } else {
      var r = Cli.run("benchmark", "--json", "--batch-size", "2", "--steps", "1", "--depth", "8", "--precision", "bf16");
      assertEquals(1, r.exit(), r.err());
      assertEquals("", r.out(), "no benchmark figures");
      assertEquals(1, r.err().strip().lines().count(), r.err());
      assertTrue(r.err().startsWith("error: bf16 mixed precision computes wrongly on this machine"), r.err());
      assertTrue(r.err().contains("use --precision fp32"), r.err());
    }
  }

  @Test
  void profileAccountsForTheConvolutionsOfATrainingStep() {
    JsonObject json = json("--batch-size", "4", "--steps", "1", "--profile", "2");
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
    assertEquals(2, Cli.run("benchmark", "--profile", "-1").exit());
    assertEquals(2, Cli.run("benchmark", "--steps", "0").exit());
    assertEquals(2, Cli.run("benchmark", "--depth", "21").exit());
    assertEquals(2, Cli.run("benchmark", "--precision", "fp8").exit());
  }
}
