package org.cifarresnet.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.cifarresnet.platform.CpuFeatures;
import org.junit.jupiter.api.Test;

/** What the CPU's flags say about bf16, read as the kernel lists them. */
class PrecisionTest {
  private static CpuFeatures cpu(String flags) {
    return CpuFeatures.parse(
        "processor\t: 0\nmodel name\t: Test CPU\nflags\t\t: " + flags + "\n\nprocessor\t: 1\nflags\t\t: " + flags + "\n", "test");
  }

  @Test
  void autoChoosesBf16OnlyWhereTheCpuComputesInIt() {
    assertTrue(cpu("avx2 avx512f avx512_bf16").bf16());
    assertTrue(cpu("avx2 amx_bf16 amx_tile").bf16());
    assertFalse(cpu("avx2 avx512f").bf16());
    // A flag that merely contains the name does not count.
    assertFalse(cpu("avx2 not_avx512_bf16x").bf16());
  }

  @Test
  void oneDnnRunsBf16WithAvx512() {
    assertTrue(cpu("avx2 avx512f").oneDnnRunsBf16());
    assertTrue(cpu("avx2 avx_ne_convert").oneDnnRunsBf16());
    assertFalse(cpu("sse2 avx avx2 fma").oneDnnRunsBf16());
  }

  @Test
  void fp32AndBf16StayWhatTheyAre() {
    assertEquals(Precision.FP32, Precision.FP32.resolve());
    assertEquals(Precision.BF16, Precision.BF16.resolve());
  }
}
