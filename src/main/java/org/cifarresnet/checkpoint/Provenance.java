package org.cifarresnet.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cifarresnet.config.Precision;
import org.cifarresnet.platform.Device;
import org.cifarresnet.platform.Platform;
import org.tensorflow.TensorFlow;

/**
 * The software and machine a model came from.
 *
 * @param cifarResnet this program's version
 * @param tensorflow TensorFlow's core version
 * @param java Java runtime version
 * @param os operating system and architecture
 * @param cpu processor model name
 * @param cores processors available to the JVM
 * @param threads intra-op threads asked for (0: TensorFlow's default)
 * @param precision precision the run computes in (AUTO resolved)
 * @param device cpu or gpu (null in files written before devices were recorded)
 * @param nativeBuild TensorFlow's native build, e.g. linux-x86_64 (null in older files)
 */
public record Provenance(
    String cifarResnet, String tensorflow, String java, String os, String cpu, int cores, int threads, Precision precision,
    String device, String nativeBuild) {

  /** Provenance without a device and native build, as files before them recorded it. */
  public Provenance(
      String cifarResnet, String tensorflow, String java, String os, String cpu, int cores, int threads, Precision precision) {
    this(cifarResnet, tensorflow, java, os, cpu, cores, threads, precision, null, null);
  }

  /** This machine, computing on the CPU. */
  public static Provenance current(int threads, Precision precision) {
    return current(threads, precision, Device.CPU);
  }

  /** This machine, computing on {@code device} (CPU or GPU). */
  public static Provenance current(int threads, Precision precision, Device device) {
    return new Provenance(
        version(), TensorFlow.version(), System.getProperty("java.version"),
        System.getProperty("os.name") + " " + System.getProperty("os.arch"), cpuName(Path.of("/proc/cpuinfo")),
        Runtime.getRuntime().availableProcessors(), threads, precision.resolve(device), device.label(), Platform.nativeBuild());
  }

  public static String version() {
    String v = Provenance.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /**
   * The processor's name: the first "model name" of a cpuinfo file (Linux), else Windows'
   * PROCESSOR_IDENTIFIER, else "unknown".
   */
  static String cpuName(Path cpuinfo) {
    try {
      return Files.readAllLines(cpuinfo).stream()
          .filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).strip())
          .findFirst().orElse("unknown");
    } catch (IOException e) { // no /proc (not Linux) or not readable
      String windows = System.getenv("PROCESSOR_IDENTIFIER");
      return windows != null && !windows.isBlank() ? windows.strip() : "unknown";
    }
  }
}
