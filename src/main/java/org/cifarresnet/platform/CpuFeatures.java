package org.cifarresnet.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The processor features that matter to TensorFlow's CPU kernels here: AVX2 and AVX-512 (vector
 * width), AVX512_BF16 and AMX (bf16 arithmetic: what {@code --precision auto} picks bf16 for).
 * Read from Linux's /proc/cpuinfo; elsewhere (macOS, Windows) they are unknown, and auto falls back
 * to fp32.
 *
 * @param model the processor's name, or "unknown"
 * @param flags the processor's feature flags, lower case (empty when unknown)
 * @param known whether the flags could be read
 * @param source where they came from, or why they are unknown
 */
public record CpuFeatures(String model, Set<String> flags, boolean known, String source) {
  private static final Path CPUINFO = Path.of("/proc/cpuinfo");
  private static CpuFeatures current;

  /** This machine's features, read once. */
  public static synchronized CpuFeatures current() {
    if (current == null) current = read(CPUINFO, System.getProperty("os.name"));
    return current;
  }

  static CpuFeatures read(Path cpuinfo, String osName) {
    try {
      return parse(Files.readString(cpuinfo), cpuinfo.toString());
    } catch (IOException e) { // no such file (not Linux) or not readable
      return unknown("no " + cpuinfo.toString().replace('\\', '/') + " on " + osName);
    }
  }

  /** Features where they cannot be read; {@code why} ends up in messages. */
  public static CpuFeatures unknown(String why) {
    return new CpuFeatures("unknown", Set.of(), false, why);
  }

  /**
   * The features in a /proc/cpuinfo text: the first processor's {@code flags} line (x86) or
   * {@code Features} line (ARM).
   */
  public static CpuFeatures parse(String cpuinfo, String source) {
    String model = "unknown";
    Set<String> flags = null;
    for (String line : cpuinfo.split("\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) continue;
      String key = line.substring(0, colon).strip();
      String value = line.substring(colon + 1).strip();
      if (key.equals("model name") && model.equals("unknown")) model = value;
      if ((key.equals("flags") || key.equals("Features")) && flags == null) {
        flags = Arrays.stream(value.split("\\s+")).map(f -> f.toLowerCase(Locale.ROOT))
            .collect(Collectors.toCollection(LinkedHashSet::new));
      }
    }
    if (flags == null) return unknown(source + " lists no CPU flags");
    return new CpuFeatures(model, Set.copyOf(flags), true, source);
  }

  public boolean avx2() {
    return flags.contains("avx2");
  }

  public boolean avx512() {
    return flags.contains("avx512f");
  }

  public boolean avx512Bf16() {
    return flags.contains("avx512_bf16");
  }

  public boolean amx() {
    return flags.contains("amx_bf16") || flags.contains("amx_tile");
  }

  /** Whether oneDNN's bf16 kernels have the hardware: AVX512_BF16 or AMX. */
  public boolean bf16() {
    return avx512Bf16() || flags.contains("amx_bf16");
  }

  /**
   * Whether TensorFlow's oneDNN kernels run bf16 on this CPU: with AVX-512 or AVX-NE-CONVERT, as
   * TensorFlow itself tests before it uses them; elsewhere bf16 falls back to its slower Eigen kernels.
   */
  public boolean oneDnnRunsBf16() {
    return avx512() || flags.contains("avx_ne_convert");
  }

  /**
   * Whether TensorFlow turns oneDNN on by itself on this x86 CPU: only where it has AVX512_VNNI,
   * AVX512_BF16, AVX_VNNI or AMX (TensorFlow 2.18's rule; elsewhere TF_ENABLE_ONEDNN_OPTS=1 does).
   */
  public boolean oneDnnByDefault() {
    return flags.contains("avx512_vnni") || avx512Bf16() || flags.contains("avx_vnni") || amx();
  }

  /** E.g. "AVX2 yes, AVX-512 no, AVX512_BF16 no, AMX no (/proc/cpuinfo)", or why they are unknown. */
  public String describe() {
    if (!known) return "unknown (" + source + "): precision auto uses fp32";
    if (flags.contains("asimd")) { // ARM: the x86 features do not apply
      return "ARM: ASIMD yes, SVE " + yesNo(flags.contains("sve")) + ", BF16 " + yesNo(flags.contains("bf16"))
          + " (" + source + "; precision auto uses fp32 on ARM)";
    }
    return List.of(
            "AVX2 " + yesNo(avx2()), "AVX-512 " + yesNo(avx512()),
            "AVX512_BF16 " + yesNo(avx512Bf16()), "AMX " + yesNo(amx()))
        .stream().collect(Collectors.joining(", ")) + " (" + source + ")";
  }

  /** Why precision auto chose what it chose, for the training log. */
  public String bf16Reason() {
    if (!known) return "CPU features unknown (" + source + "), so fp32";
    return "the CPU " + (bf16() ? "has" : "lacks") + " AVX512_BF16/AMX";
  }

  private static String yesNo(boolean b) {
    return b ? "yes" : "no";
  }
}
