package org.cifarresnet.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.util.List;
import org.junit.jupiter.api.Test;

/** TensorFlow's own device list, and what --version makes of it, on this machine. */
class DevicesTest {
  @Test
  void tensorFlowListsTheCpuAndACpuBuildNoGpu() {
    List<Devices.Info> devices = Devices.list();
    assertEquals("CPU:0", devices.get(0).describe());
    assertTrue(devices.get(0).name().endsWith("/device:CPU:0"), devices.get(0).name());
    assumeFalse(Platform.isGpuBuild(), "the GPU build may list a GPU");
    assertFalse(Devices.hasGpu());
    assertEquals(Device.CPU, Device.AUTO.resolve());
  }

  @Test
  void aGpuIsDescribedWithItsMemory() {
    var gpu = new Devices.Info("/job:localhost/replica:0/task:0/device:GPU:0", "GPU", 6L << 30);
    assertTrue(gpu.gpu());
    assertEquals("GPU:0 (6.0 GiB)", gpu.describe());
  }

  @Test
  void theReportNamesPlatformCpuOneDnnAndDevices() {
    List<String> lines = PlatformReport.lines();
    assertTrue(lines.get(0).startsWith("TensorFlow 2.18.0 (TensorFlow Java 1.1.0, native build "), lines.get(0));
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("platform: ")), lines::toString);
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("CPU: ")), lines::toString);
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("oneDNN kernels: ")), lines::toString);
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("devices: CPU:0")), lines::toString);
  }

  @Test
  void oneDnnFollowsTheVariableElseTensorFlowsRuleForTheCpu() {
    CpuFeatures avx2 = CpuFeatures.parse(CpuFeaturesTest.EPYC, "cpuinfo");
    CpuFeatures amx = CpuFeatures.parse(CpuFeaturesTest.SAPPHIRE_RAPIDS, "cpuinfo");
    assertEquals("on (TF_ENABLE_ONEDNN_OPTS=1)", PlatformReport.oneDnn("1", "amd64", avx2));
    assertEquals("off (TF_ENABLE_ONEDNN_OPTS=0)", PlatformReport.oneDnn("0", "amd64", amx));
    assertTrue(PlatformReport.oneDnn(null, "amd64", avx2).startsWith("off (TF_ENABLE_ONEDNN_OPTS unset"));
    assertTrue(PlatformReport.oneDnn(null, "amd64", amx).startsWith("on (TF_ENABLE_ONEDNN_OPTS unset"));
    assertTrue(PlatformReport.oneDnn(null, "amd64", CpuFeatures.unknown("Windows")).contains("unknown"));
    assertTrue(PlatformReport.oneDnn(null, "aarch64", avx2).startsWith("this build's default"));
  }
}
