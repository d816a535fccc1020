package org.cifarresnet.platform;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Collectors;
import org.tensorflow.TensorFlow;
import org.tensorflow.exceptions.TensorFlowException;

/**
 * What {@code --version} prints about the machine: the platform, TensorFlow's native build, the
 * CPU features that decide bf16, whether oneDNN's kernels are on, and the devices TensorFlow sees.
 */
public final class PlatformReport {
  private PlatformReport() {}

  /** The report's lines; a TensorFlow that cannot load is reported, not thrown. */
  public static List<String> lines() {
    List<String> lines = new ArrayList<>();
    String os = System.getProperty("os.name");
    String arch = System.getProperty("os.arch");
    String platform = Platform.of(os, arch).map(Platform::classifier).orElse(null);
    lines.add("platform: " + os + " " + System.getProperty("os.version") + " " + arch
        + (platform != null ? " (" + platform + ")" : ": " + Platform.unsupported(os, arch))
        + ", Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
    CpuFeatures cpu = CpuFeatures.current();
    lines.add("CPU: " + cpu.model() + "; " + cpu.describe());
    lines.add("oneDNN kernels: " + oneDnn(System.getenv("TF_ENABLE_ONEDNN_OPTS"), arch, cpu));
    String build = Platform.nativeBuild();
    try {
      String version = TensorFlow.version();
      lines.add(0, "TensorFlow " + version + " (TensorFlow Java " + tensorFlowJavaVersion() + ", native build " + build + ")");
      lines.add("devices: " + devices(build));
    } catch (LinkageError | TensorFlowException e) { // no native library for this machine, or it fails to start
      lines.add(0, "TensorFlow: native build " + build + " does not load here: " + e);
    }
    return lines;
  }

  /**
   * Whether TensorFlow runs oneDNN's kernels on this CPU. On x86-64, TensorFlow 2.18 turns them on
   * by itself only with AVX512_VNNI, AVX512_BF16, AVX_VNNI or AMX; TF_ENABLE_ONEDNN_OPTS (which the
   * launchers set to 1 on x86-64) decides otherwise. Elsewhere the build's own default holds.
   */
  static String oneDnn(String env, String arch, CpuFeatures cpu) {
    if (env != null && !env.isBlank()) {
      String v = env.strip().toLowerCase(Locale.ROOT);
      boolean on = v.equals("1") || v.equals("true");
      return (on ? "on" : "off") + " (TF_ENABLE_ONEDNN_OPTS=" + env.strip() + ")";
    }
    boolean x86 = arch.equals("amd64") || arch.equals("x86_64");
    if (!x86) return "this build's default (TF_ENABLE_ONEDNN_OPTS unset)";
    if (!cpu.known()) return "TensorFlow's default for this CPU, unknown here (TF_ENABLE_ONEDNN_OPTS unset)";
    return (cpu.oneDnnByDefault() ? "on" : "off")
        + " (TF_ENABLE_ONEDNN_OPTS unset: TensorFlow's default, on only with AVX512_VNNI, AVX512_BF16, AVX_VNNI or AMX)";
  }

  private static String devices(String build) {
    String listed = Devices.list().stream().map(Devices.Info::describe).collect(Collectors.joining(", "));
    if (!Platform.GPU_BUILD.equals(build) || Devices.hasGpu()) return listed;
    String missing = CudaLibraries.firstMissing();
    return listed + "; no GPU: " + (missing != null
        ? "cannot open " + missing + ": " + CudaLibraries.fix(missing)
        : "the NVIDIA libraries open but TensorFlow lists no GPU (check nvidia-smi)");
  }

  /** The version in tensorflow-core-api's Maven metadata, or "?". */
  private static String tensorFlowJavaVersion() {
    try (InputStream in = TensorFlow.class.getResourceAsStream("/META-INF/maven/org.tensorflow/tensorflow-core-api/pom.properties")) {
      if (in == null) return "?";
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "?");
    } catch (IOException e) {
      return "?";
    }
  }
}
