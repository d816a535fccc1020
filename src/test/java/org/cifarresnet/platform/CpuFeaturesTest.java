package org.cifarresnet.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CpuFeaturesTest {
  // Abridged /proc/cpuinfo of three machines: this one (AVX2), a Sapphire Rapids Xeon, an ARM server.
  static final String EPYC = "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13\n"
      + "flags\t\t: fpu sse2 avx avx2 fma bmi2\nbugs\t\t: sysret_ss_attrs\n\nprocessor\t: 1\nflags\t\t: fpu\n";
  static final String SAPPHIRE_RAPIDS = "model name\t: Intel(R) Xeon(R) Platinum 8481C\n"
      + "flags\t\t: avx2 avx512f avx512_vnni avx512_bf16 amx_bf16 amx_tile amx_int8\n";
  static final String GRAVITON = "processor\t: 0\nBogoMIPS\t: 2100.00\nFeatures\t: fp asimd sve bf16 i8mm\n";

  @Test
  void anAvx2CpuHasNoBf16AndTensorFlowLeavesOneDnnOff() {
    CpuFeatures cpu = CpuFeatures.parse(EPYC, "/proc/cpuinfo");
    assertEquals("AMD EPYC 7B13", cpu.model());
    assertTrue(cpu.known() && cpu.avx2());
    assertFalse(cpu.avx512() || cpu.bf16() || cpu.amx() || cpu.oneDnnByDefault());
    assertEquals("AVX2 yes, AVX-512 no, AVX512_BF16 no, AMX no (/proc/cpuinfo)", cpu.describe());
    assertEquals("the CPU lacks AVX512_BF16/AMX", cpu.bf16Reason());
  }

  @Test
  void aSapphireRapidsHasBf16AndAmx() {
    CpuFeatures cpu = CpuFeatures.parse(SAPPHIRE_RAPIDS, "/proc/cpuinfo");
    assertTrue(cpu.avx512() && cpu.avx512Bf16() && cpu.amx() && cpu.bf16() && cpu.oneDnnByDefault());
    assertEquals("the CPU has AVX512_BF16/AMX", cpu.bf16Reason());
  }

  @Test
  void anArmCpuReportsItsOwnFeaturesAndStaysFp32() {
    CpuFeatures cpu = CpuFeatures.parse(GRAVITON, "/proc/cpuinfo");
    assertTrue(cpu.known());
    assertFalse(cpu.bf16(), "auto picks bf16 only through oneDNN's x86 kernels");
    assertTrue(cpu.describe().startsWith("ARM: ASIMD yes, SVE yes, BF16 yes"), cpu.describe());
  }

  @Test
  void withoutProcCpuinfoTheFeaturesAreUnknownAndAutoFallsBackToFp32WithANote() {
    // macOS and Windows have no /proc/cpuinfo.
    CpuFeatures cpu = CpuFeatures.read(Path.of("/no/such/cpuinfo"), "Mac OS X");
    assertFalse(cpu.known() || cpu.bf16());
    assertEquals("unknown (no /no/such/cpuinfo on Mac OS X): precision auto uses fp32", cpu.describe());
    assertEquals("CPU features unknown (no /no/such/cpuinfo on Mac OS X), so fp32", cpu.bf16Reason());
    assertFalse(CpuFeatures.parse("processor\t: 0\n", "x").known(), "a file without flags is no better");
  }
}
