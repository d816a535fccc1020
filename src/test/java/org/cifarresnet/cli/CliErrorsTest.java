package org.cifarresnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.cifarresnet.data.TinyCifar;
import org.cifarresnet.model.Bf16Check;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad input gets one line naming the problem, exit 2 for usage and 1 otherwise, and no stack trace. */
class CliErrorsTest {
  @TempDir Path dir;

  private static void assertOneLine(Cli.Outcome r, int exit, String... mentions) {
    assertEquals(exit, r.exit(), r.err());
    assertEquals(1, r.errLines().size(), "one line: " + r.err());
    assertTrue(r.err().startsWith("error: "), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    for (String m : mentions) assertTrue(r.err().contains(m), "mentions " + m + ": " + r.err());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "--epochs 0|epochs",
    "--depth 21|6n+2",
    "--precision fp64|--precision",
    "--preset fancy|unknown preset",
    "--batch-size -4|batchSize",
    "--lr -1|lr",
    "--limit 0|--limit",
    "--epochs ten|--epochs",
    "--frobnicate|--frobnicate",
    "--label-smoothing 0.7|--label-smoothing must be between 0 and 0.5",
    "--label-smoothing -0.1|--label-smoothing",
    "--warmup-epochs 2|one-cycle rate of --preset fast",
    "--shift 17|--shift must be between 0 and 16",
    "--shift -1|--shift must be between 0 and 16",
    "--shift 2 --no-augment|--no-augment",
    "--preset seed --shift 2|trains without",
    "--preset fast --epochs 18 --warmup-epochs 18|below the 18 epochs",
    "--preset fast --epochs 10 --warmup-epochs -1|--warmup-epochs must be 0 or more",
  })
  void badTrainOptionsAreUsageErrors(String options, String mention) {
    String[] args = ("train --data " + dir + " " + options).split(" ");
    assertOneLine(Cli.run(args), 2, mention);
  }

  @Test
  void aMissingDataPathIsNamed() {
    Path missing = dir.resolve("nope.tar.gz");
    assertOneLine(Cli.run("train", "--data", missing.toString(), "--out", dir.resolve("run").toString()), 1, missing.toString());
    assertFalse(Files.exists(dir.resolve("run")), "no run directory is left behind");
    assertFalse(Files.exists(dir.resolve("run").resolve("config.json")), "nothing is written for a run that cannot start");
  }

  @Test
  void aLimitLargerThanTheDataIsNamed() {
    Path archive = TinyCifar.writeArchive(dir.resolve("c.tar.gz"), 4, 4, 1);
    assertOneLine(Cli.run("train", "--data", archive.toString(), "--out", dir.resolve("r").toString(), "--limit", "999"), 1);
  }

  @Test
  void runDirectoriesWithoutCheckpointsAreRefused() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    assertOneLine(Cli.run("evaluate", empty.toString()), 1, "has no checkpoints");
    assertOneLine(Cli.run("resume", empty.toString()), 1, "neither checkpoints/last.npz nor config.json");
    assertOneLine(Cli.run("predict", empty.toString(), "x.png"), 1);
    assertOneLine(Cli.run("evaluate", dir.resolve("absent").toString()), 1, "not found");
  }

  @Test
  void unreadableImagesAndCheckpointsAreNamed() throws Exception {
    Path ckpt = Files.write(dir.resolve("model.npz"), "not a zip".getBytes());
    assertOneLine(Cli.run("evaluate", ckpt.toString()), 1, "unreadable");
    Path image = Files.write(dir.resolve("photo.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3});
    assertOneLine(Cli.run("predict", ckpt.toString(), image.toString()), 1, "photo.jpg");
  }

  @Test
  void aDivergingLossStopsTrainingWithOneLine() throws Exception {
    Path archive = TinyCifar.writeArchive(dir.resolve("d.tar.gz"), 8, 8, 1);
    Path out = dir.resolve("diverged");
    var r = Cli.run("train", "--data", archive.toString(), "--out", out.toString(), "--lr", "1e12", "--epochs", "3",
        "--batch-size", "8", "--preset", "seed", "--precision", "fp32");
    assertOneLine(r, 1, "training loss became", "--lr");
    try (var files = Files.walk(out)) {
      assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no half-written file");
    }
  }

  /** In bf16 a NaN loss points at the precision first (it goes NaN on some CPUs), not at the rate. */
  @Test
  void aDivergingBf16RunNamesFp32() throws Exception {
    assumeTrue(Bf16Check.result().passed(), "bf16 is refused on this machine: " + Bf16Check.result().detail());
    Path archive = TinyCifar.writeArchive(dir.resolve("d16.tar.gz"), 8, 8, 1);
    var r = Cli.run("train", "--data", archive.toString(), "--out", dir.resolve("diverged16").toString(), "--lr", "1e12",
        "--epochs", "3", "--batch-size", "8", "--preset", "seed", "--precision", "bf16");
    assertOneLine(r, 1, "training loss became", "--precision fp32");
  }

  @Test
  void badOptionsOfTheOtherCommandsAreUsageErrors() {
    assertOneLine(Cli.run("predict", dir.toString(), "x.png", "--top", "0"), 2, "--top");
    assertOneLine(Cli.run("evaluate", dir.toString(), "--precision", "fp64"), 2, "--precision");
    assertOneLine(Cli.run("resume", dir.toString(), "--epochs", "0"), 1, "neither"); // no run there: that comes first
    assertOneLine(Cli.run("import-keras", "x.h5", "--out", dir.resolve("r").toString(), "--depth", "21"), 2, "--depth");
  }

  @Test
  void noCommandAndMissingArgumentsAreUsageErrors() {
    assertOneLine(Cli.run(), 2, "command");
    assertOneLine(Cli.run("resume"), 2, "RUN_DIR");
    assertEquals(0, Cli.run("train", "--help").exit());
  }
}
