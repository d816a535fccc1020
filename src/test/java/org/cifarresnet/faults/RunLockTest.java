package org.cifarresnet.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cifarresnet.checkpoint.RunLock;
import org.cifarresnet.cli.Cli;
import org.cifarresnet.data.TinyCifar;
import org.cifarresnet.util.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One writer per run directory, within a process and across processes, never stuck after a crash. */
class RunLockTest {
  @TempDir Path dir;

  @Test
  void aSecondHolderInTheSameProcessIsRefusedUntilTheFirstCloses() {
    Path run = dir.resolve("run");
    try (RunLock first = RunLock.acquire(run)) {
      UserError e = assertThrows(UserError.class, () -> RunLock.acquire(run));
      assertTrue(e.getMessage().contains("in use by process " + ProcessHandle.current().pid()), e.getMessage());
      assertTrue(e.getMessage().contains("wait for it to finish or stop it first"), e.getMessage());
      assertFalse(e.getMessage().contains("\n"));
    }
    try (RunLock again = RunLock.acquire(run)) {
      assertTrue(Files.exists(run.resolve(RunLock.FILE_NAME)));
    }
  }

  @Test
  void anotherLiveProcessIsNamedAndADeadOneLeavesNothingStuck() throws Exception {
    Path run = dir.resolve("run");
    // A child JVM takes the lock and waits; this process must be refused with the child's pid.
    ChildJvm child = ChildJvm.start(dir.resolve("holder.out"), LockHolder.class.getName(), run.toString());
    try {
      child.awaitOutput("locked", 60);
      UserError e = assertThrows(UserError.class, () -> RunLock.acquire(run));
      assertTrue(e.getMessage().contains("in use by process " + child.pid()), e.getMessage());
    } finally {
      child.kill9();
    }
    // kill -9 gives the holder no chance to clean up; the OS releases its lock all the same.
    try (RunLock after = RunLock.acquire(run)) {
      assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(run.resolve(RunLock.FILE_NAME)));
    }
  }

  @Test
  void leftoverTemporariesAreRemovedOnceTheLockIsHeld() throws Exception {
    Path run = Files.createDirectories(dir.resolve("run").resolve("checkpoints")).getParent();
    Path tmp1 = Files.writeString(run.resolve(".history.csv123.tmp"), "half");
    Path tmp2 = Files.writeString(run.resolve("checkpoints").resolve(".last.npz456.tmp"), "half");
    Path keep = Files.writeString(run.resolve("notes.tmp"), "the user's");
    try (RunLock lock = RunLock.acquire(run)) {
      assertFalse(Files.exists(tmp1));
      assertFalse(Files.exists(tmp2));
      assertTrue(Files.exists(keep));
    }
  }

  @Test
  void aSecondTrainOrResumeOnALiveRunRefusesInOneLine() throws Exception {
    Path archive = TinyCifar.writeArchive(dir.resolve("cifar.tar.gz"), 8, 16, 1);
    Path run = dir.resolve("run");
    ChildJvm train = ChildJvm.cli(dir.resolve("train.out"), "train", "--data", archive.toString(), "--out", run.toString(),
        "--epochs", "50", "--batch-size", "8", "--threads", "1");
    try {
      Path last = run.resolve("checkpoints").resolve("last.npz");
      for (int i = 0; i < 6000 && !Files.exists(last) && train.alive(); i++) Thread.sleep(10);
      assertTrue(Files.exists(last), train::err);
      for (String[] args : List.of(
          new String[] {"resume", run.toString()},
          new String[] {"train", "--data", archive.toString(), "--out", run.toString()})) {
        Cli.Outcome r = Cli.run(args);
        assertEquals(1, r.exit(), r.err());
        assertEquals("error: run directory " + run + " is in use by process " + train.pid()
            + "; wait for it to finish or stop it first", r.err().strip());
      }
    } finally {
      train.kill9();
    }
  }

  /** Holds the lock of {@code args[0]} until killed. */
  public static final class LockHolder {
    public static void main(String[] args) throws InterruptedException {
      RunLock lock = RunLock.acquire(Path.of(args[0]));
      System.out.println("locked");
      System.out.flush();
      Thread.sleep(120_000);
      lock.close();
    }
  }
}
