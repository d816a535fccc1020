package org.cifarresnet.util;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;

/**
 * Writes files so that a reader, or a crash, never sees half of one: the content goes to a temporary
 * file in the same directory, is flushed to disk, then renamed over the target in one step.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Something that writes a file's content to a stream. */
  @FunctionalInterface
  public interface Writer {
    void writeTo(OutputStream out) throws IOException;
  }

  public static void write(Path target, Writer content) {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
      readableByAll(tmp);
      try (var channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
          OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
        content.writeTo(out);
        out.flush();
        // fsync before the rename: otherwise a power cut can leave the new name pointing at no data.
        channel.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
    } catch (IOException e) {
      throw cannotWrite(target, e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // Best effort: the temporary name starts with a dot and ends in .tmp, so it is recognisable.
        }
      }
    }
  }

  public static void writeString(Path target, String text) {
    write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** Temporary files are private (0600); the files they become are ordinary ones (0644). */
  private static void readableByAll(Path file) throws IOException {
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    }
  }

  /**
   * The one-line error for a failed write of {@code target}: the reason, and a fix that fits it (space
   * for a full disk, permissions for a read-only one).
   */
  public static UserError cannotWrite(Path target, IOException e) {
    String reason = describe(e);
    String lower = reason.toLowerCase(Locale.ROOT);
    String fix = lower.contains("no space") || lower.contains("quota")
        ? "free some disk space or choose another --out directory"
        : "check that its folder is writable and the disk not read-only, or choose another --out directory";
    return new UserError("cannot write " + target + ": " + reason + "; " + fix, e);
  }

  /** A short reason for an I/O failure, e.g. "No space left on device". */
  public static String describe(IOException e) {
    String m = e.getMessage();
    if (e instanceof NoSuchFileException) return "no such file";
    if (e instanceof AccessDeniedException) return "permission denied";
    // The reason alone: the message would name a temporary file the user never heard of.
    if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason();
    return m == null ? e.getClass().getSimpleName() : m;
  }
}
