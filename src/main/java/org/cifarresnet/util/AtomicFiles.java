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
      replace(tmp, target, AtomicFiles::move, Thread::sleep);
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

  /** Renames one file over another. */
  @FunctionalInterface
  interface Mover {
    void move(Path from, Path to) throws IOException;
  }

  /** Waits; {@link Thread#sleep} outside tests. */
  @FunctionalInterface
  interface Pause {
    void millis(long ms) throws InterruptedException;
  }

  /** Tries before a replace gives up on a target another program holds open, and the pause between tries. */
  static final int REPLACE_TRIES = 10;
  static final long REPLACE_PAUSE_MILLIS = 200;

  /**
   * Renames {@code tmp} over {@code target}. On Windows a rename over a file fails while another
   * program has it open without letting it be deleted: a virus scanner or the search indexer
   * reading a file just written, a spreadsheet showing history.csv. The first two let go within
   * moments, so there the rename is retried for about two seconds; elsewhere a failure is final.
   */
  static void replace(Path tmp, Path target, Mover mover, Pause pause) throws IOException {
    boolean windows = target.getFileSystem().getSeparator().equals("\\");
    for (int attempt = 1; ; attempt++) {
      try {
        mover.move(tmp, target);
        return;
      } catch (FileSystemException e) {
        boolean held = e instanceof AccessDeniedException || String.valueOf(e.getReason()).contains("used by another process");
        if (!windows || !held || attempt >= REPLACE_TRIES) throw e;
        try {
          pause.millis(REPLACE_PAUSE_MILLIS);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
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
        : e instanceof AccessDeniedException && Files.exists(target)
            ? "if another program has it open (a spreadsheet, an editor), close it; else check that its folder is writable"
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
