package org.cifarresnet.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.cifarresnet.cli.Main;
import org.cifarresnet.data.TinyCifar;
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

  private int nativeThreadsAfterTraining(Path archive, int threads) throws Exception {
    ChildJvm child = ChildJvm.start(dir.resolve("threads-" + threads + ".out"), CountAfterTraining.class.getName(),
        "train", "--data", archive.toString(), "--out", dir.resolve("run-" + threads).toString(), "--epochs", "1",
        "--batch-size", "8", "--depth", "8", "--precision", "fp32", "--threads", Integer.toString(threads));
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
      String processName = Files.readString(Path.of("/proc/self/comm")).strip();
      try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
        long unnamed = tasks.filter(t -> processName.equals(comm(t))).count();
        System.out.println("native threads " + unnamed);
      }
      System.exit(0);
    }

    private static String comm(Path task) {
      try {
        return Files.readString(task.resolve("comm")).strip();
      } catch (IOException e) {
        return ""; // a thread that ended while the tasks were listed: not counted
      }
    }
  }
}
