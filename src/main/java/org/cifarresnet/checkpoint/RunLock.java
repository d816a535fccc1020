package org.cifarresnet.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.cifarresnet.util.AtomicFiles;
import org.cifarresnet.util.UserError;

/**
 * One writer per run directory: {@code train} and {@code resume} hold an OS file lock on
 * {@code RUN_DIR/.lock} while they run, so a second one on the same directory refuses instead of
 * interleaving checkpoints. The file holds the owner's process id, for the message only: the lock
 * itself is what counts, and the OS drops it when its process dies, even by {@code kill -9}, so a
 * crash never leaves a directory stuck. The file is never deleted (deleting it would let two
 * processes lock two different files of the same name).
 */
public final class RunLock implements AutoCloseable {
  public static final String FILE_NAME = ".lock";

  /**
   * The one byte the OS lock covers, far past the process id at the file's start. Windows locks are
   * mandatory (a locked byte cannot be read by another process), so a lock on the whole file would
   * keep a second process from reading whose the lock is; POSIX locks work on a range just the same,
   * and a whole-file lock (as earlier versions took) still overlaps this one.
   */
  static final long LOCKED_BYTE = Long.MAX_VALUE - 1;

  /**
   * Directories this JVM holds. POSIX locks belong to the process, so the OS would let a second
   * command in the same JVM (the tests run several) take the lock again, and closing a second
   * channel on the file would silently drop the first one's lock: check here before opening it.
   */
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

  private final Path key;
  private final FileChannel channel;
  private final FileLock lock;

  private RunLock(Path key, FileChannel channel, FileLock lock) {
    this.key = key;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Locks {@code root} (creating it if needed) for this process, then removes the temporary files a
   * killed writer may have left: holding the lock proves that no live process is writing them.
   *
   * @throws UserError if a live process holds the directory, naming it, or if it cannot be locked
   */
  public static RunLock acquire(Path root) {
    Path key;
    try {
      Files.createDirectories(root);
      key = root.toRealPath();
    } catch (IOException e) {
      throw new UserError("cannot create run directory " + root + ": " + AtomicFiles.describe(e)
          + "; choose another --out directory");
    }
    if (!HELD.add(key)) throw inUse(root, Long.toString(ProcessHandle.current().pid()));
    FileChannel channel = null;
    boolean locked = false;
    try {
      channel = FileChannel.open(key.resolve(FILE_NAME), StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock(LOCKED_BYTE, 1, false);
      } catch (OverlappingFileLockException e) {
        lock = null; // held through another path to the same file, in this JVM
      }
      if (lock == null) throw inUse(root, owner(channel));
      channel.truncate(0);
      channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
      removeTemporaries(key);
      locked = true;
      return new RunLock(key, channel, lock);
    } catch (IOException | UncheckedIOException e) {
      IOException io = e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
      throw new UserError("cannot lock run directory " + root + ": " + AtomicFiles.describe(io)
          + "; choose an --out directory on a local, writable disk");
    } finally {
      if (!locked) {
        HELD.remove(key);
        closeQuietly(channel);
      }
    }
  }

  private static UserError inUse(Path root, String pid) {
    return new UserError("run directory " + root + " is in use by "
        + (pid.isEmpty() ? "another process" : "process " + pid) + "; wait for it to finish or stop it first");
  }

  /** The process id the holder wrote, or "" if it has not written it yet. */
  private static String owner(FileChannel channel) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(32);
    channel.read(buf, 0);
    String text = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).strip();
    return text.matches("[0-9]{1,19}") ? text : "";
  }

  /**
   * Deletes {@code .NAME*.tmp} files (what {@link AtomicFiles} writes before its rename) in the run
   * directory and its direct subfolders. Readers ignore them; this only gives back their space.
   */
  private static void removeTemporaries(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root, 2)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        String name = f.getFileName().toString();
        if (name.startsWith(".") && name.endsWith(".tmp") && Files.isRegularFile(f)) Files.deleteIfExists(f);
      }
    }
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel == null) return;
    try {
      channel.close();
    } catch (IOException ignored) {
      // nothing was written through it that matters
    }
  }

  /** Releases the lock; the file stays (see above), and its pid is only shown while a lock is held. */
  @Override
  public void close() {
    try {
      if (lock.isValid()) lock.release();
    } catch (IOException ignored) {
      // closing the channel below releases it too
    } finally {
      closeQuietly(channel);
      HELD.remove(key);
    }
  }
}
