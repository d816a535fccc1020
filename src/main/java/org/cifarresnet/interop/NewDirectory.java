package org.cifarresnet.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;
import org.cifarresnet.util.AtomicFiles;
import org.cifarresnet.util.UserError;

/**
 * Makes a directory appear whole or not at all: its content is written into a hidden temporary
 * directory beside it, which is renamed to the target at the end and deleted on any failure. The
 * directory-level counterpart of {@link AtomicFiles}, for a run directory or a SavedModel.
 */
final class NewDirectory {
  /** Writes the content of a directory, given the (temporary) directory to write into. */
  @FunctionalInterface
  interface Content {
    void writeInto(Path dir) throws IOException;
  }

  private NewDirectory() {}

  /** Refuses a target that exists and is not an empty directory, before any work is done. */
  static void checkFree(Path target, String option) {
    if (!Files.exists(target)) return;
    if (!Files.isDirectory(target)) {
      throw new UserError(target + " exists and is a file; choose another " + option);
    }
    try (Stream<Path> entries = Files.list(target)) {
      if (entries.findAny().isPresent()) {
        throw new UserError(target + " already exists and is not empty; choose another " + option + " or delete it");
      }
    } catch (IOException e) {
      throw new UserError("cannot read " + target + ": " + AtomicFiles.describe(e) + "; choose another " + option, e);
    }
  }

  static void write(Path target, String option, Content content) {
    checkFree(target, option);
    Path abs = target.toAbsolutePath();
    Path tmp = null;
    try {
      Files.createDirectories(abs.getParent());
      tmp = Files.createTempDirectory(abs.getParent(), "." + abs.getFileName() + ".");
      if (tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        // Temporary directories are private (0700); the directory they become is an ordinary one.
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
      content.writeInto(tmp);
      try {
        // rename(2) replaces an empty directory in one step.
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
    } catch (IOException e) {
      throw new UserError("cannot write " + target + ": " + AtomicFiles.describe(e)
          + "; free some disk space or choose another " + option, e);
    } finally {
      if (tmp != null) deleteTree(tmp);
    }
  }

  /** Best effort: the temporary name starts with a dot, so a leftover is recognisable. */
  static void deleteTree(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException ignored) { // a file that went meanwhile, an unreadable folder
      // nothing more to do
    }
  }
}
