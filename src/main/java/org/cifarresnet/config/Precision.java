package org.cifarresnet.config;

import org.cifarresnet.model.Bf16Check;
import org.cifarresnet.platform.CpuFeatures;
import org.cifarresnet.platform.Device;
import org.cifarresnet.util.RefusedValue;
import org.cifarresnet.util.UserError;

/** Arithmetic precision of the convolutions and matrix products. */
public enum Precision {
  /** Plain float32 everywhere. */
  FP32,
  /**
   * bf16 mixed precision through TensorFlow's oneDNN auto-mixed-precision graph rewrite: variables,
   * batch-norm statistics, the loss and the optimizer stay float32.
   */
  BF16,
  /**
   * BF16 where the processor has AVX512_BF16 or AMX and bf16 passes {@link Bf16Check} (a two-second
   * training check against fp32), else FP32; on a GPU, FP32.
   */
  AUTO;

  /** The precision to run with on this machine's CPU: AUTO decided, the others as they are. */
  public Precision resolve() {
    if (this != AUTO) return this;
    return cpuHasBf16() && Bf16Check.result().passed() ? BF16 : FP32;
  }

  /** What AUTO chose on this CPU, and why, for the run's log. */
  public static String autoReason() {
    String flags = CpuFeatures.current().bf16Reason();
    if (!cpuHasBf16()) return flags;
    Bf16Check.Result check = Bf16Check.result();
    return check.passed() ? flags : flags + ", but bf16 computes wrongly here: " + check.detail();
  }

  /**
   * Refuses bf16 asked for by name ({@code --precision bf16}, or a run that computed in it) where
   * {@link Bf16Check} fails: training would go NaN or wrong. The one-line message names the fix.
   *
   * @throws UserError if this is BF16 and the check fails here
   */
  public Precision verified() {
    if (this == BF16 && !Bf16Check.result().passed()) {
      throw new UserError("bf16 mixed precision computes wrongly on this machine (" + Bf16Check.result().detail()
          + "; docs/reliability.md): use --precision fp32");
    }
    return this;
  }

  /**
   * The precision to run with on {@code device} (CPU or GPU). On a GPU, auto is fp32, which cards
   * from Ampere on run as TF32 in the convolutions (TensorFlow's default); bf16 is refused there,
   * as the oneDNN rewrite that makes it only touches operations placed on the CPU.
   *
   * @throws RefusedValue for bf16 on a GPU: the caller says whose choice that was
   */
  public Precision resolve(Device device) {
    if (device != Device.GPU) return resolve();
    if (this == BF16) {
      throw new RefusedValue(
          "--precision bf16 is for CPUs (oneDNN's bf16 rewrite); on a GPU use fp32 or auto (fp32, TF32 on cards that have it)");
    }
    return FP32;
  }

  /** Whether the CPU has AVX512_BF16 or AMX (read from /proc/cpuinfo on Linux; elsewhere false, see {@link CpuFeatures}). */
  public static boolean cpuHasBf16() {
    return CpuFeatures.current().bf16();
  }

  /**
   * Whether TensorFlow's oneDNN kernels run bf16 here: on CPUs with AVX-512 or AVX-NE-CONVERT, as
   * TensorFlow itself tests before it uses them; elsewhere it falls back to its slower Eigen kernels
   * ("oneDNN supports DT_BFLOAT16 only on platforms with AVX-512").
   */
  public static boolean oneDnnRunsBf16() {
    return CpuFeatures.current().oneDnnRunsBf16();
  }
}
