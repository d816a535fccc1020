package org.cifarresnet.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cifarresnet.cli.Main;
import org.cifarresnet.data.TinyCifar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training where TensorFlow runs without its oneDNN kernels: the default on CPUs without AVX512_VNNI,
 * AVX512_BF16, AVX_VNNI or AMX (most AVX2 laptops, AMD EPYC and Ryzen before Zen 4). There the fused
 * batch norm + ReLU kernel does not run in training, and the model must fall back to the two ops.
 * TF_ENABLE_ONEDNN_OPTS=0 turns oneDNN off on any x86 CPU, so the fallback is exercised everywhere.
 */
class WithoutOneDnnTest {
  @TempDir Path dir;

  @Test
  void trainsWithOneDnnOffAsItDoesWithOneDnnOn() throws Exception {
    Path archive = TinyCifar.writeArchive(dir.resolve("cifar.tar.gz"), 16, 32, 3);
    List<String> withOff = history(archive, "0");
    List<String> withOn = history(archive, "1");
    assertEquals(2, withOff.size(), "header and one epoch: " + withOff);
    assertEquals(withOn.get(0), withOff.get(0));
    for (int row = 1; row < withOff.size(); row++) {
      String[] off = withOff.get(row).split(",");
      String[] on = withOn.get(row).split(",");
      // epoch, lr, loss, acc, val_loss: the same steps in other kernels, equal up to float rounding (they
        // drift apart over more epochs)
      for (int column = 0; column <= 4; column++) {
        double a = Double.parseDouble(off[column]);
        double b = Double.parseDouble(on[column]);
        assertEquals(b, a, 2e-3 * Math.max(1, Math.abs(b)), "row " + row + " column " + column);
      }
    }
  }

  private List<String> history(Path archive, String oneDnn) throws Exception {
    Path run = dir.resolve("run-onednn-" + oneDnn);
    ChildJvm child = ChildJvm.start(dir.resolve("train-" + oneDnn + ".out"), List.of(),
        Map.of("TF_ENABLE_ONEDNN_OPTS", oneDnn), Main.class.getName(),
        "train", "--data", archive.toString(), "--out", run.toString(), "--epochs", "1", "--batch-size", "16",
        "--threads", "1", "--precision", "fp32");
    assertEquals(0, child.waitFor(300), child.out() + child.err());
    return Files.readAllLines(run.resolve("history.csv"));
  }
}
