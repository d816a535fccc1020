package org.cifarresnet.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.cifarresnet.cli.Main;

/**
 * A Java program in a process of its own, on this JVM's class path, with its output in files (a pipe
 * nobody reads would block it). The fault tests kill these with real signals, which an in-process run
 * cannot survive.
 */
final class ChildJvm {
  /** The same lines the launcher drops: absl's INFO lines (the MLIR notice, bf16 rewrite statistics). */
  private static final Pattern ABSL_NOISE =
      Pattern.compile("^(WARNING: All log messages before absl::InitializeLog|I0000 [0-9:. ]+ +[0-9]+ [a-z_]+\\.cc:[0-9]+\\])");

  private final Process process;
  private final Path out;
  private final Path err;

  private ChildJvm(Process process, Path out, Path err) {
    this.process = process;
    this.out = out;
    this.err = err;
  }

  /** Starts {@code mainClass args} with output in {@code outFile} and {@code outFile}.err. */
  static ChildJvm start(Path outFile, String mainClass, String... args) {
    return start(outFile, List.of(), mainClass, args);
  }

  /** As {@link #start(Path, String, String...)}, with these JVM options (e.g. a fixed heap). */
  static ChildJvm start(Path outFile, List<String> jvmOptions, String mainClass, String... args) {
    return start(outFile, jvmOptions, Map.of(), mainClass, args);
  }

  /** As {@link #start(Path, List, String, String...)}, with these environment variables set. */
  static ChildJvm start(
      Path outFile, List<String> jvmOptions, Map<String, String> environment, String mainClass, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(List.of(args));
    Path err = outFile.resolveSibling(outFile.getFileName() + ".err");
    var builder = new ProcessBuilder(command)
        .redirectOutput(outFile.toFile())
        .redirectError(err.toFile());
    builder.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    builder.environment().putAll(environment);
    try {
      return new ChildJvm(builder.start(), outFile, err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The CLI ({@code org.cifarresnet.cli.Main}) with these arguments. */
  static ChildJvm cli(Path outFile, String... args) {
    return start(outFile, Main.class.getName(), args);
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  String out() {
    return read(out);
  }

  /**
   * Standard error without the two start-up lines of TensorFlow's logging library, which the
   * {@code ./cifar-resnet} launcher filters out too (TF_CPP_MIN_LOG_LEVEL does not silence them).
   */
  String err() {
    return read(err).lines().filter(l -> !ABSL_NOISE.matcher(l).find()).collect(Collectors.joining("\n"));
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until standard output contains {@code text}; false if the process ended or time ran out first. */
  boolean awaitOutput(String text, double seconds) throws InterruptedException {
    long deadline = System.nanoTime() + (long) (seconds * 1e9);
    while (System.nanoTime() < deadline) {
      if (out().contains(text)) return true;
      if (!process.isAlive()) return out().contains(text);
      Thread.sleep(20);
    }
    return false;
  }

  /** SIGKILL: no handler runs, no file is closed, no buffer flushed. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGTERM: the polite stop a service manager or a shutting-down machine sends. */
  void term() {
    process.destroy();
  }

  /** The exit code; fails if the process is still running after {@code seconds}. */
  int waitFor(double seconds) throws InterruptedException {
    if (!process.waitFor((long) (seconds * 1000), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("process did not end within " + seconds + " s; output:\n" + out() + err());
    }
    return process.exitValue();
  }

  /** Resident memory in kB (VmRSS from /proc), or -1 where /proc is not available or it has ended. */
  long rssKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
        if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
