package org.cifarresnet.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the CPU's flags say about bf16, read as the kernel lists them. */
class PrecisionTest {
  @TempDir Path dir;

  private Path cpuinfo(String flags) throws IOException {
    return Files.writeString(dir.resolve("cpuinfo"),
        "processor\t: 0\nmodel name\t: Test CPU\nflags\t\t: " + flags + "\n\nprocessor\t: 1\nflags\t\t: " + flags + "\n");
  }

  @Test
  void theFlagsAreTheWordsOfTheFlagsLine() throws IOException {
    assertEquals(Set.of("fpu", "avx2", "avx512f"), Precision.cpuFlags(cpuinfo("fpu avx2 avx512f")));
  }

  @Test
  void autoChoosesBf16OnlyWhereTheCpuComputesInIt() throws IOException {
    assertTrue(Precision.hasBf16(Precision.cpuFlags(cpuinfo("avx2 avx512f avx512_bf16"))));
    assertTrue(Precision.hasBf16(Precision.cpuFlags(cpuinfo("avx2 amx_bf16 amx_tile"))));
    assertFalse(Precision.hasBf16(Precision.cpuFlags(cpuinfo("avx2 avx512f"))));
    // A flag that merely contains the name does not count.
    assertFalse(Precision.hasBf16(Precision.cpuFlags(cpuinfo("avx2 not_avx512_bf16x"))));
  }

  @Test
  void oneDnnRunsBf16WithAvx512() throws IOException {
    assertTrue(Precision.oneDnnRunsBf16(Precision.cpuFlags(cpuinfo("avx2 avx512f"))));
    assertTrue(Precision.oneDnnRunsBf16(Precision.cpuFlags(cpuinfo("avx2 avx_ne_convert"))));
    assertFalse(Precision.oneDnnRunsBf16(Precision.cpuFlags(cpuinfo("sse2 avx avx2 fma"))));
  }

  @Test
  void withoutACpuinfoFileThereIsNoEvidenceOfAnything() {
    assertEquals(Set.of(), Precision.cpuFlags(dir.resolve("absent")));
    assertEquals(Precision.FP32, Precision.FP32.resolve());
    assertEquals(Precision.BF16, Precision.BF16.resolve());
  }
}
