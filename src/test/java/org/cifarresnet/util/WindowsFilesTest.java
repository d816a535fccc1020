package org.cifarresnet.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Atomic writes on a Windows-configured in-memory file system (drive letters, backslashes), and
 * what Windows does differently: a rename over a file another program holds open fails for as long
 * as it is held.
 */
class WindowsFilesTest {
  private final FileSystem windows = Jimfs.newFileSystem(Configuration.windows());
  private final FileSystem unix = Jimfs.newFileSystem(Configuration.unix());

  @AfterEach
  void close() throws Exception {
    windows.close();
    unix.close();
  }

  @Test
  void anAtomicWriteCreatesAndReplacesAFileUnderAWindowsPathAndLeavesNoTemporary() throws Exception {
    Path config = windows.getPath("C:\\Users\\ann\\runs\\20261201-101500\\config.json");
    AtomicFiles.writeString(config, "{\n  \"a\": 1\n}\n");
    AtomicFiles.writeString(config, "{\n  \"a\": 2\n}\n");
    assertEquals("{\n  \"a\": 2\n}\n", Files.readString(config), "LF kept as written: no CRLF translation");
    try (Stream<Path> files = Files.list(config.getParent())) {
      assertEquals(List.of("config.json"), files.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Test
  void aRenameOverAFileHeldOpenIsRetriedOnWindowsUntilTheHolderLetsGo() throws Exception {
    Path target = windows.getPath("C:\\run\\history.csv");
    List<Long> pauses = new ArrayList<>();
    int[] calls = {0};
    AtomicFiles.replace(windows.getPath("C:\\run\\.history.csv123.tmp"), target, (from, to) -> {
      if (++calls[0] <= 2) throw new AccessDeniedException(to.toString(), null, "The process cannot access the file");
    }, pauses::add);
    assertEquals(3, calls[0]);
    assertEquals(List.of(AtomicFiles.REPLACE_PAUSE_MILLIS, AtomicFiles.REPLACE_PAUSE_MILLIS), pauses);
  }

  @Test
  void aFileHeldForGoodFailsAfterTheRetriesWithAHintToCloseIt() throws Exception {
    Path target = windows.getPath("C:\\run\\history.csv");
    Files.createDirectories(target.getParent());
    Files.writeString(target, "epoch\n");
    int[] calls = {0};
    var e = assertThrows(AccessDeniedException.class, () -> AtomicFiles.replace(target.resolveSibling("x.tmp"), target,
        (from, to) -> {
          calls[0]++;
          throw new AccessDeniedException(to.toString());
        }, ms -> {}));
    assertEquals(AtomicFiles.REPLACE_TRIES, calls[0]);
    String message = AtomicFiles.cannotWrite(target, e).getMessage();
    assertTrue(message.startsWith("cannot write C:\\run\\history.csv: permission denied; if another program has it open"),
        message);
    assertFalse(message.contains("\n"));
  }

  @Test
  void elsewhereAFailedRenameIsFinalAtOnce() {
    Path target = unix.getPath("/run/history.csv");
    int[] calls = {0};
    assertThrows(AccessDeniedException.class, () -> AtomicFiles.replace(unix.getPath("/run/x.tmp"), target, (from, to) -> {
      calls[0]++;
      throw new AccessDeniedException(to.toString());
    }, ms -> {
      throw new AssertionError("no pause outside Windows");
    }));
    assertEquals(1, calls[0]);
  }
}
