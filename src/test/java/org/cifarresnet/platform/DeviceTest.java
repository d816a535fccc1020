package org.cifarresnet.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.cifarresnet.config.Precision;
import org.cifarresnet.util.RefusedValue;
import org.cifarresnet.util.UserError;
import org.junit.jupiter.api.Test;

/** How {@code --device} resolves in CPU and GPU builds, with the GPU's presence and CUDA's libraries given. */
class DeviceTest {
  static final BooleanSupplier NEVER_ASKED = () -> {
    throw new AssertionError("the GPU list was opened where it cannot matter");
  };
  static final Supplier<String> NOT_ASKED = () -> {
    throw new AssertionError("the CUDA libraries were checked where it cannot matter");
  };

  @Test
  void valuesAreParsedInAnyCaseAndAnUnknownOneNamesTheChoices() {
    assertEquals(Device.GPU, Device.parse("GPU"));
    assertEquals(Device.AUTO, Device.parse("auto"));
    var e = assertThrows(RefusedValue.class, () -> Device.parse("tpu"));
    assertEquals("--device must be auto, cpu or gpu, got 'tpu'", e.getMessage());
  }

  @Test
  void aCpuBuildRunsOnTheCpuWithoutOpeningAnything() {
    assertEquals(Device.CPU, Device.AUTO.resolve(false, NEVER_ASKED, NOT_ASKED, "linux-x86_64"));
    assertEquals(Device.CPU, Device.CPU.resolve(true, NEVER_ASKED, NOT_ASKED, "linux-x86_64-gpu"));
  }

  @Test
  void gpuInACpuBuildSaysHowToGetTheGpuBuild() {
    var e = assertThrows(UserError.class, () -> Device.GPU.resolve(false, NEVER_ASKED, NOT_ASKED, "linux-x86_64"));
    assertOneLine(e, "this linux-x86_64 build of TensorFlow runs on the CPU only", "CIFAR_RESNET_GPU=1");
    var mac = assertThrows(UserError.class, () -> Device.GPU.resolve(false, NEVER_ASKED, NOT_ASKED, "macosx-arm64"));
    assertOneLine(mac, "macosx-arm64", "Linux on x86-64");
  }

  @Test
  void aGpuBuildUsesTheGpuTensorFlowLists() {
    assertEquals(Device.GPU, Device.AUTO.resolve(true, () -> true, NOT_ASKED, "linux-x86_64-gpu"));
    assertEquals(Device.GPU, Device.GPU.resolve(true, () -> true, NOT_ASKED, "linux-x86_64-gpu"));
  }

  @Test
  void aGpuBuildWithoutCudaNamesTheMissingLibraryAndTheFix() {
    for (Device asked : new Device[] {Device.AUTO, Device.GPU}) {
      var e = assertThrows(UserError.class, () -> asked.resolve(true, () -> false, () -> "libcudart.so.12", "linux-x86_64-gpu"));
      assertOneLine(e, "cannot open libcudart.so.12", "CUDA 12");
      assertTrue(e.getMessage().contains("cuDNN 9") && e.getMessage().endsWith("or run on the CPU with --device cpu"), e.getMessage());
    }
    var driver = assertThrows(UserError.class, () -> Device.GPU.resolve(true, () -> false, () -> "libcuda.so.1", "linux-x86_64-gpu"));
    assertOneLine(driver, "cannot open libcuda.so.1", "NVIDIA driver");
    var noCard = assertThrows(UserError.class, () -> Device.GPU.resolve(true, () -> false, () -> null, "linux-x86_64-gpu"));
    assertOneLine(noCard, "lists no GPU", "nvidia-smi");
  }

  @Test
  void theCudaCheckStopsAtTheFirstLibraryThatDoesNotOpen() {
    assertEquals("libcuda.so.1", CudaLibraries.firstMissing(name -> false));
    assertEquals("libcudnn.so.9", CudaLibraries.firstMissing(name -> !name.startsWith("libcudnn")));
    assertEquals(null, CudaLibraries.firstMissing(name -> true));
  }

  @Test
  void onAGpuPrecisionAutoIsFp32AndBf16IsRefused() {
    assertEquals(Precision.FP32, Precision.AUTO.resolve(Device.GPU));
    assertEquals(Precision.FP32, Precision.FP32.resolve(Device.GPU));
    var e = assertThrows(RefusedValue.class, () -> Precision.BF16.resolve(Device.GPU));
    assertTrue(e.getMessage().startsWith("--precision bf16 is for CPUs"), e.getMessage());
    assertEquals(Precision.AUTO.resolve(), Precision.AUTO.resolve(Device.CPU));
    assertEquals(Precision.BF16, Precision.BF16.resolve(Device.CPU));
  }

  private static void assertOneLine(UserError e, String problem, String fix) {
    String m = e.getMessage();
    assertFalse(m.contains("\n"), m);
    assertTrue(m.contains(problem) && m.contains(fix), m);
  }
}
