package org.cifarresnet.platform;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.cifarresnet.util.UserError;

/**
 * The platforms TensorFlow Java 1.1.0 ships a native build for: the classifiers of
 * {@code tensorflow-core-native}, which the pom's profiles choose by operating system and
 * architecture. macOS on Intel and 32-bit systems have none.
 */
public enum Platform {
  LINUX_X86_64("linux-x86_64"),
  LINUX_ARM64("linux-arm64"),
  MACOSX_ARM64("macosx-arm64"),
  WINDOWS_X86_64("windows-x86_64");

  /** The CUDA build, a variant of linux-x86_64. */
  public static final String GPU_BUILD = "linux-x86_64-gpu";

  /** The supported platforms, for messages; the launchers and the pom say the same. */
  public static final String SUPPORTED =
      "linux-x86_64 (NVIDIA GPUs with the GPU build), linux-arm64, macosx-arm64 (Apple silicon), windows-x86_64";

  /** Where each native jar keeps its libraries: JavaCPP's loader looks under this folder plus the build's name. */
  private static final String LIBRARY_FOLDER = "org/tensorflow/internal/c_api/";

  private final String classifier;

  Platform(String classifier) {
    this.classifier = classifier;
  }

  /** The tensorflow-core-native classifier, e.g. {@code linux-x86_64}. */
  public String classifier() {
    return classifier;
  }

  /** The platform of a JVM with these {@code os.name} and {@code os.arch}, or empty where TensorFlow ships none. */
  public static Optional<Platform> of(String osName, String osArch) {
    String os = osName.toLowerCase(Locale.ROOT);
    String arch = osArch.toLowerCase(Locale.ROOT);
    boolean x64 = arch.equals("amd64") || arch.equals("x86_64");
    boolean arm64 = arch.equals("aarch64") || arch.equals("arm64");
    if (os.startsWith("linux")) return x64 ? Optional.of(LINUX_X86_64) : arm64 ? Optional.of(LINUX_ARM64) : Optional.empty();
    if (os.startsWith("mac") || os.startsWith("darwin")) return arm64 ? Optional.of(MACOSX_ARM64) : Optional.empty();
    if (os.startsWith("windows")) return x64 ? Optional.of(WINDOWS_X86_64) : Optional.empty();
    return Optional.empty();
  }

  /** This JVM's platform. */
  public static Platform current() {
    String os = System.getProperty("os.name");
    String arch = System.getProperty("os.arch");
    return of(os, arch).orElseThrow(() -> new UserError(unsupported(os, arch)));
  }

  /** The one-line refusal for a platform TensorFlow Java ships no build for. */
  public static String unsupported(String osName, String osArch) {
    String hint = osName.toLowerCase(Locale.ROOT).startsWith("mac") && !osArch.contains("aarch64")
        ? " (on an Apple silicon Mac, use an arm64 JDK, not an Intel one under Rosetta)" : "";
    return "TensorFlow Java 1.1.0 has no native build for " + osName + " " + osArch + "; cifar-resnet runs on "
        + SUPPORTED + hint;
  }

  /**
   * The TensorFlow native builds on the class path, found by the folder each jar keeps its
   * libraries in. Normally one; the GPU build first, as JavaCPP's loader tries it first.
   */
  public static List<String> nativeBuilds(ClassLoader loader) {
    List<String> found = new ArrayList<>();
    List<String> candidates = new ArrayList<>(List.of(GPU_BUILD));
    for (Platform p : values()) candidates.add(p.classifier);
    for (String build : candidates) {
      if (loader.getResource(LIBRARY_FOLDER + build + "/LICENSE") != null) found.add(build);
    }
    return found;
  }

  /** The native build this program loads: the first of {@link #nativeBuilds}, or "none". */
  public static String nativeBuild() {
    List<String> builds = nativeBuilds(Platform.class.getClassLoader());
    return builds.isEmpty() ? "none" : builds.get(0);
  }

  /** Whether this program runs TensorFlow's CUDA build. */
  public static boolean isGpuBuild() {
    return GPU_BUILD.equals(nativeBuild());
  }
}
