package org.cifarresnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cifarresnet.checkpoint.RunDirectory;
import org.cifarresnet.data.TinyCifar;
import org.cifarresnet.platform.Platform;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --device} and {@code --version} through the real command line. This machine has no GPU
 * and runs the CPU build, so a GPU is asked for only to see the refusal.
 */
class DeviceCliTest {
  @TempDir static Path dir;
  static Path archive;

  @BeforeAll
  static void writeData() {
    archive = TinyCifar.writeArchive(dir.resolve("cifar-10-binary.tar.gz"), 8, 16, 5);
    assumeFalse(Platform.isGpuBuild(), "these tests expect the CPU build");
  }

  @Test
  void anUnknownDeviceIsAUsageErrorOnEveryCommandThatHasTheOption() {
    for (String[] args : new String[][] {
        {"train", "--device", "tpu"}, {"resume", "r", "--device", "tpu"}, {"evaluate", "r", "--device", "tpu"},
        {"predict", "r", "x.png", "--device", "tpu"}, {"benchmark", "--device", "tpu"}}) {
      var r = Cli.run(args);
      assertEquals(2, r.exit(), String.join(" ", args) + ": " + r.err());
      assertEquals(1, r.errLines().size(), r.err());
      assertTrue(r.err().contains("--device must be auto, cpu or gpu, got 'tpu'"), r.err());
    }
  }

  @Test
  void gpuWithoutOneIsOneLineAndExit1AndLeavesNoRunDirectory() {
    Path out = dir.resolve("gpu-run");
    for (String[] args : new String[][] {
        {"train", "--data", archive.toString(), "--out", out.toString(), "--device", "gpu"},
        {"evaluate", dir.resolve("absent").toString(), "--device", "gpu"},
        {"predict", dir.resolve("absent").toString(), "x.png", "--device", "gpu"},
        {"benchmark", "--device", "gpu", "--steps", "1"}}) {
      var r = Cli.run(args);
      assertEquals(1, r.exit(), args[0] + ": " + r.err());
      assertEquals(1, r.errLines().size(), r.err());
      assertTrue(r.err().startsWith("error: --device gpu: this " + Platform.nativeBuild() + " build"), r.err());
    }
    assertFalse(Files.exists(out), "refused before anything was written");
  }

  @Test
  void benchmarkJsonRecordsTheDeviceAndNativeBuild() {
    var r = Cli.run("benchmark", "--json", "--device", "cpu", "--depth", "8", "--batch-size", "4",
        "--eval-batch-size", "4", "--steps", "1", "--warmup", "0", "--threads", "1");
    assertEquals(0, r.exit(), r.err());
    JsonObject json = JsonParser.parseString(r.out().strip()).getAsJsonObject();
    assertEquals("cpu", json.get("device").getAsString());
    assertEquals(Platform.nativeBuild(), json.get("native_build").getAsString());
    var text = Cli.run("benchmark", "--depth", "8", "--batch-size", "4", "--eval-batch-size", "4", "--steps", "1",
        "--warmup", "0", "--threads", "1", "--precision", "fp32");
    assertTrue(text.out().contains("fp32 on the cpu: train"), text.out());
  }

  @Test
  void aRunRecordsItsDeviceInConfigJsonTheLogAndTheReport() throws Exception {
    Path out = dir.resolve("cpu-run");
    var r = Cli.run("train", "--data", archive.toString(), "--out", out.toString(), "--preset", "seed",
        "--epochs", "1", "--batch-size", "8", "--depth", "8", "--device", "auto", "--threads", "1");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("device: cpu (TensorFlow " + Platform.nativeBuild() + ")"), r.out());
    RunDirectory run = new RunDirectory(out);
    JsonObject provenance = JsonParser.parseString(Files.readString(run.config())).getAsJsonObject()
        .getAsJsonObject("provenance");
    assertEquals("cpu", provenance.get("device").getAsString());
    assertEquals(Platform.nativeBuild(), provenance.get("nativeBuild").getAsString());
    String report = Files.readString(run.root().resolve("report.html"));
    assertTrue(report.contains("<td>device</td><td>cpu</td>"), "the report's environment table shows the device");

    var eval = Cli.run("evaluate", out.toString(), "--device", "cpu", "--threads", "1");
    assertEquals(0, eval.exit(), eval.err());
    assertTrue(eval.out().contains(" on the cpu"), eval.out());
  }

  @Test
  void versionNamesPlatformNativeBuildCpuFeaturesOneDnnAndDevices() {
    var r = Cli.run("--version");
    assertEquals(0, r.exit(), r.err());
    String[] lines = r.out().strip().split("\n");
    assertTrue(lines[0].startsWith("cifar-resnet "), r.out());
    assertTrue(lines[1].startsWith("TensorFlow 2.18.0 (TensorFlow Java 1.1.0, native build " + Platform.nativeBuild()), r.out());
    for (String prefix : new String[] {"platform: ", "CPU: ", "oneDNN kernels: ", "devices: CPU:0"}) {
      assertTrue(r.out().contains("\n" + prefix), prefix + " in " + r.out());
    }
  }
}
