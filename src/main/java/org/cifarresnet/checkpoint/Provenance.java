package org.cifarresnet.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cifarresnet.config.Precision;
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
 */
public record Provenance(
    String cifarResnet, String tensorflow, String java, String os, String cpu, int cores, int threads, Precision precision) {

  public static Provenance current(int threads, Precision precision) {
    return new Provenance(
        version(), TensorFlow.version(), System.getProperty("java.version"),
        System.getProperty("os.name") + " " + System.getProperty("os.arch"), cpuName(Path.of("/proc/cpuinfo")),
        Runtime.getRuntime().availableProcessors(), threads, precision.resolve());
  }

  public static String version() {
    String v = Provenance.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** The first "model name" of a cpuinfo file, or "unknown" (not Linux, or no such line). */
  static String cpuName(Path cpuinfo) {
    try {
      return Files.readAllLines(cpuinfo).stream()
          .filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).strip())
          .findFirst().orElse("unknown");
    } catch (IOException e) { // no /proc (not Linux) or not readable
      return "unknown";
    }
  }
}
