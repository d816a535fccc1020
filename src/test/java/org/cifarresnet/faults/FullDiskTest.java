package org.cifarresnet.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.cifarresnet.checkpoint.Checkpoint;
import org.cifarresnet.checkpoint.RunDirectory;
import org.cifarresnet.data.TinyCifar;
import org.cifarresnet.testing.NeededTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that fills up, or turns read-only, in the middle of a run: training stops with one line naming
 * the file, the reason and the fix; the checkpoint from before stays whole and loadable, no half-written
 * file is left, and once the disk is fixed, resume finishes the run.
 */
class FullDiskTest {
  private static final int EPOCHS = 6;
  @TempDir Path dir;

  private String[] train(Path archive, Path out) {
    return new String[] {"train", "--data", archive.toString(), "--out", out.toString(), "--epochs", Integer.toString(EPOCHS),
        "--batch-size", "8", "--threads", "1"};
  }

  /** A real full disk: a 64 MB tmpfs that another file fills as soon as the first checkpoint is saved. */
  @Test
  void aDiskThatFillsUpStopsTrainingWithOneLineAndKeepsTheCheckpoint() throws Exception {
    Path mount = Files.createDirectories(dir.resolve("disk"));
    NeededTool.require("mount", run("mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", mount.toString()) == 0,
        "mounting a tmpfs needs root (CAP_SYS_ADMIN) on Linux; the read-only test below covers the same path without it");
    try {
      Path archive = TinyCifar.writeArchive(dir.resolve("cifar.tar.gz"), 8, 16, 2);
      Path out = mount.resolve("run");
      Path filler = mount.resolve("filler");
      ChildJvm child = ChildJvm.cli(dir.resolve("train.out"), train(archive, out));
      awaitFirstCheckpoint(child, out);
      // Leave 200 KB: room for the history and the curves, not for a checkpoint.
      long free = Files.getFileStore(mount).getUsableSpace() - 200 * 1024;
      try (OutputStream f = Files.newOutputStream(filler)) {
        byte[] block = new byte[1 << 20];
        for (long left = free; left > 0; left -= block.length) f.write(block, 0, (int) Math.min(left, block.length));
      }
      assertStoppedWithOneLine(child, out, "No space left on device", "free some disk space");

      Files.delete(filler);
      resumeToTheEnd(out);
    } finally {
      run("umount", "-l", mount.toString());
    }
  }

  /**
   * The portable variant: the run directory becomes read-only after the first checkpoint (as ext4 does
   * after a disk error): {@code chmod} for an ordinary user, the immutable attribute for root, whom
   * permissions do not stop.
   */
  @Test
  void aDirectoryThatTurnsReadOnlyStopsTrainingWithOneLineAndKeepsTheCheckpoint() throws Exception {
    Path archive = TinyCifar.writeArchive(dir.resolve("cifar.tar.gz"), 8, 16, 2);
    Path out = dir.resolve("run");
    boolean root = "root".equals(System.getProperty("user.name"));
    ChildJvm child = ChildJvm.cli(dir.resolve("train.out"), train(archive, out));
    List<Path> dirs = List.of(out, out.resolve("checkpoints"));
    try {
      awaitFirstCheckpoint(child, out);
      for (Path d : dirs) {
        if (root) {
          NeededTool.require("chattr", run("chattr", "+i", d.toString()) == 0,
              "root needs chattr +i (e2fsprogs, on ext4 or a file system with the immutable flag) to make a folder read-only");
        } else {
          Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("r-xr-xr-x"));
        }
      }
      assertStoppedWithOneLine(child, out, root ? "Operation not permitted" : "permission denied", "writable");
    } finally {
      child.kill9();
      for (Path d : dirs) {
        if (root) run("chattr", "-i", d.toString());
        else Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
    }
    resumeToTheEnd(out);
  }

  private static void awaitFirstCheckpoint(ChildJvm child, Path out) throws InterruptedException {
    Path last = new RunDirectory(out).last();
    for (int i = 0; i < 6000 && !Files.exists(last); i++) {
      assertTrue(child.alive(), () -> "train ended early: " + child.out() + child.err());
      Thread.sleep(10);
    }
    assertTrue(Files.exists(last), "no checkpoint after a minute");
  }

  private static void assertStoppedWithOneLine(ChildJvm child, Path out, String reason, String fix) throws Exception {
    int exit = child.waitFor(300);
    String all = child.err().strip();
    assertEquals(1, exit, () -> "exit code; stderr: " + all + "\nstdout: " + child.out());
    // The report is optional: failing to update it is a warning and training goes on. The error that
    // stops training is one line, the last.
    List<String> lines = all.lines().filter(l -> !l.startsWith("warning: ")).toList();
    assertEquals(1, lines.size(), "one line besides warnings: " + all);
    String err = lines.get(0);
    assertTrue(all.endsWith(err), all);
    assertTrue(err.startsWith("error: cannot write ") && err.contains(out.toString()), err);
    assertTrue(err.contains(reason) && err.contains(fix), err);
    RunCheck after = RunCheck.of(out);
    assertEquals(List.of(), after.problems());
    assertEquals(0, after.temporaries(), "a failed write leaves no temporary file");
    assertTrue(after.checkpointEpochs() >= 1 && after.checkpointEpochs() < EPOCHS, "epochs " + after.checkpointEpochs());
    Checkpoint.load(new RunDirectory(out).last()); // loadable, not just present
  }

  private void resumeToTheEnd(Path out) throws InterruptedException {
    ChildJvm resume = ChildJvm.cli(dir.resolve("resume.out"), "resume", out.toString(), "--threads", "1");
    assertEquals(0, resume.waitFor(300), resume::err);
    RunCheck end = RunCheck.of(out);
    assertEquals(List.of(), end.problems());
    assertEquals(EPOCHS, end.checkpointEpochs());
    assertEquals(EPOCHS, end.historyRows());
    assertEquals(EPOCHS, end.tensorboardEpochs(), "every epoch in TensorBoard, the ones missed while the disk was full too");
    assertFalse(end.temporaries() > 0);
  }

  /** Runs a system command; its exit code, or -1 where it does not exist. */
  private static int run(String... command) throws InterruptedException {
    try {
      return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    } catch (IOException e) {
      return -1;
    }
  }
}
