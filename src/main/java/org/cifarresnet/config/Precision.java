package org.cifarresnet.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** Arithmetic precision of the convolutions and matrix products. */
public enum Precision {
  /** Plain float32 everywhere. */
  FP32,
  /**
   * bf16 mixed precision through TensorFlow's oneDNN auto-mixed-precision graph rewrite: variables,
   * batch-norm statistics, the loss and the optimizer stay float32.
   */
  BF16,
  /** BF16 where the processor has AVX512_BF16 or AMX, else FP32. */
  AUTO;

  private static final Path CPUINFO = Path.of("/proc/cpuinfo");

  /** The precision to run with on this machine: AUTO decided, the others as they are. */
  public Precision resolve() {
    if (this != AUTO) return this;
    return cpuHasBf16() ? BF16 : FP32;
  }

  /** Whether the processor computes in bf16 itself: /proc/cpuinfo lists avx512_bf16 or amx_bf16. */
  public static boolean cpuHasBf16() {
    return hasBf16(cpuFlags(CPUINFO));
  }

  /**
   * Whether TensorFlow's oneDNN kernels run bf16 here: on CPUs with AVX-512 or AVX-NE-CONVERT, as
   * TensorFlow itself tests before it uses them; elsewhere it falls back to its slower Eigen kernels
   * ("oneDNN supports DT_BFLOAT16 only on platforms with AVX-512").
   */
  public static boolean oneDnnRunsBf16() {
    return oneDnnRunsBf16(cpuFlags(CPUINFO));
  }

  static boolean hasBf16(Set<String> flags) {
    return flags.contains("avx512_bf16") || flags.contains("amx_bf16");
  }

  static boolean oneDnnRunsBf16(Set<String> flags) {
    return flags.contains("avx512f") || flags.contains("avx_ne_convert");
  }

  /** The words of the first "flags" line of a cpuinfo file; none where there is no such file (not Linux). */
  static Set<String> cpuFlags(Path cpuinfo) {
    try {
      return Files.readAllLines(cpuinfo).stream().filter(l -> l.startsWith("flags")).findFirst()
          .map(l -> Arrays.stream(l.substring(l.indexOf(':') + 1).trim().split("\\s+")).collect(Collectors.toSet()))
          .orElse(Set.of());
    } catch (IOException e) { // no /proc, or not readable: no evidence of any feature
      return Set.of();
    }
  }
}
