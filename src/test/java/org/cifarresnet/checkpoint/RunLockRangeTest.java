package org.cifarresnet.checkpoint;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.cifarresnet.util.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run lock covers one byte far past the process id it writes: on Windows, where a locked byte
 * cannot be read by another process, the second process can still read whose the lock is.
 */
class RunLockRangeTest {
  @TempDir Path dir;

  @Test
  void theProcessIdAtTheFileStartIsOutsideTheLockedRange() throws Exception {
    try (RunLock lock = RunLock.acquire(dir);
        FileChannel other = FileChannel.open(dir.resolve(RunLock.FILE_NAME), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      // Within one JVM an overlapping range would throw; the pid's bytes are free to lock, so free to read.
      var pidRange = other.tryLock(0, 64, true);
      assertNotNull(pidRange);
      pidRange.release();
      assertTrue(Files.readString(dir.resolve(RunLock.FILE_NAME)).strip().matches("[0-9]+"));
    }
  }

  @Test
  void aWholeFileLockAsEarlierVersionsTookStillKeepsASecondWriterOut() throws Exception {
    Files.createDirectories(dir);
    try (FileChannel older = FileChannel.open(dir.resolve(RunLock.FILE_NAME), StandardOpenOption.CREATE,
            StandardOpenOption.READ, StandardOpenOption.WRITE);
        var whole = older.lock()) {
      var e = assertThrows(UserError.class, () -> RunLock.acquire(dir));
      assertTrue(e.getMessage().contains("is in use by"), e.getMessage());
    }
  }
}
