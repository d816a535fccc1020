package org.cifarresnet.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.cifarresnet.cli.Main;
import org.cifarresnet.config.Precision;
import org.cifarresnet.config.Presets;
import org.cifarresnet.config.RunConfig;
import org.cifarresnet.data.TinyCifar;
import org.cifarresnet.model.CifarModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --threads N} sizes TensorFlow's compute pool, whichever session opens first. TensorFlow sizes
 * its pools once per process, from the first session; training opens several (the device listing, the
 * fused-kernel probe, the TensorBoard writer, the model), and before {@code EngineThreads} the first of
 * them set the size, so {@code --threads 1} computed on all cores. Measured from outside: the threads
 * TensorFlow starts (native threads, which keep the process's name, unlike the JVM's named ones) in a
 * child JVM after a one-epoch {@code train}. {@code --threads N} sizes both of TensorFlow's pools (compute
 * and op scheduling) at N, so {@code --threads 3} must start exactly four threads more than
 * {@code --threads 1}, whatever the machine's core count.
 */
class EngineThreadsTest {
  @TempDir Path dir;

  @Test
  void threadsOptionSizesTensorFlowsComputePool() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "counts threads through Linux's /proc");
    Path archive = TinyCifar.writeArchive(dir.resolve("cifar.tar.gz"), 16, 16, 5);
    assertEquals(4, nativeThreadsAfterTraining(archive, 3) - nativeThreadsAfterTraining(archive, 1));
  }

  /** The same through the Java API: a model built with a thread count, nothing opened before it. */
  @Test
  void aModelsThreadCountSizesThePoolThoughItsProbeOpensASessionFirst() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "counts threads through Linux's /proc");
    assertEquals(4, nativeThreads(CountAfterModel.class, "3") - nativeThreads(CountAfterModel.class, "1"));
  }

  private int nativeThreadsAfterTraining(Path archive, int threads) throws Exception {
    return nativeThreads(CountAfterTraining.class,
        "train", "--data", archive.toString(), "--out", dir.resolve("run-" + threads).toString(), "--epochs", "1",
        "--batch-size", "8", "--depth", "8", "--precision", "fp32", "--threads", Integer.toString(threads));
  }

  private int nativeThreads(Class<?> main, String... args) throws Exception {
    ChildJvm child = ChildJvm.start(dir.resolve(main.getSimpleName() + "-" + String.join("-", args).hashCode() + ".out"),
        main.getName(), args);
    assertEquals(0, child.waitFor(300), child.out() + child.err());
    String last = child.out().lines().reduce((a, b) -> b).orElse("");
    assertTrue(last.startsWith("native threads "), child.out());
    return Integer.parseInt(last.substring("native threads ".length()));
  }

  /** Runs the CLI in this process, then prints how many of its threads the JVM did not name. */
  public static final class CountAfterTraining {
    public static void main(String[] args) throws IOException {
      int code = Main.run(args);
      if (code != 0) System.exit(code);
      printNativeThreads();
      System.exit(0);
    }

    static void printNativeThreads() throws IOException {
      String processName = Files.readString(Path.of("/proc/self/comm")).strip();
      try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
        long unnamed = tasks.filter(t -> processName.equals(comm(t))).count();
        System.out.println("native threads " + unnamed);
      }
    }

    static String comm(Path task) {
      try {
        return Files.readString(task.resolve("comm")).strip();
      } catch (IOException e) {
        return ""; // a thread that ended while the tasks were listed: not counted
      }
    }
  }

  /** Builds a ResNet8 with the thread count given, then prints as {@link CountAfterTraining} does. */
  public static final class CountAfterModel {
    public static void main(String[] args) throws IOException {
      RunConfig keras = Presets.keras();
      try (var model = new CifarModel(keras.model().withDepth(8), keras.optimizer(), 1, Precision.FP32,
          Integer.parseInt(args[0]))) {
        CountAfterTraining.printNativeThreads();
      }
      System.exit(0);
    }
  }
}
