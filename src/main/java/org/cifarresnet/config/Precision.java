package org.cifarresnet.config;

import java.nio.file.Files;
import java.nio.file.Path;

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

  /** The precision to run with on this machine: AUTO decided, the others as they are. */
  public Precision resolve() {
    if (this != AUTO) return this;
    return cpuHasBf16() ? BF16 : FP32;
  }

  /** Whether /proc/cpuinfo lists avx512_bf16 or amx_bf16 (Linux; elsewhere false). */
  public static boolean cpuHasBf16() {
    try {
      String flags = Files.readString(Path.of("/proc/cpuinfo"));
      return flags.contains("avx512_bf16") || flags.contains("amx_bf16");
    } catch (Exception e) {
      return false;
    }
  }
}
