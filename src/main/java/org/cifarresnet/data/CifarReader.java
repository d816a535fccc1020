package org.cifarresnet.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.cifarresnet.util.UserError;

/**
 * Reads CIFAR-10 in the official binary layout, straight from {@code cifar-10-binary.tar.gz} (so
 * users need not extract it) or from its extracted {@code cifar-10-batches-bin} folder.
 *
 * <p>Speed matters because this runs at the start of every command: the archive is streamed through
 * gzip exactly once with large buffers, its SHA-256 is computed from the same bytes as they are read,
 * and each batch is read with bulk reads and converted from the file's planar CHW order to NHWC with
 * plain array loops. The real archive loads in a couple of seconds.
 *
 * <p>Input is not trusted: every problem it checks for (not gzip, not tar, truncated, damaged, sizes
 * and labels out of range, missing or repeated files) is reported as a one-line {@link UserError}
 * naming the file and the fix, and memory is only allocated for data actually read, so a tar header
 * claiming a huge entry cannot trigger a huge allocation. Anything else thrown is a bug of ours.
 */
public final class CifarReader {
  /** Name of the folder inside the archive, and of the folder it extracts to. */
  public static final String FOLDER = "cifar-10-batches-bin";
  /** The batch files in the order their records make up the training split. */
  public static final List<String> TRAIN_FILES =
      List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
  public static final String TEST_FILE = "test_batch.bin";
  public static final String META_FILE = "batches.meta.txt";
  /** One record: a label byte, then the red, green and blue 32x32 planes, each row-major. */
  public static final int RECORD_BYTES = 1 + Split.IMAGE_BYTES;

  /** Largest batch file accepted: the whole dataset in one file. Official batches have 10,000. */
  static final int MAX_RECORDS_PER_FILE = 60_000;
  /** Largest class-name file accepted; the official one has 61 bytes. */
  static final int MAX_META_BYTES = 64 * 1024;
  /** Most bytes allocated ahead of data actually read; a real 30 MB batch needs one doubling. */
  private static final int FIRST_ALLOCATION = 16 << 20;
  private static final int IO_BUFFER = 1 << 20;
  /** Most data accepted after the tar's end (the official archive has 10 KB of padding there). */
  private static final long MAX_TRAILING_BYTES = 16 << 20;

  private static final String HINT =
      "pass --data with the path of cifar-10-binary.tar.gz or its extracted " + FOLDER + " folder";
  private static final String ARCHIVE_FIX = "replace the archive with a fresh download of cifar-10-binary.tar.gz";
  private static final String FOLDER_FIX = "extract cifar-10-binary.tar.gz again, or " + HINT;

  private CifarReader() {}

  /**
   * Reads CIFAR-10 from {@code path}: the official {@code cifar-10-binary.tar.gz}, the extracted
   * {@code cifar-10-batches-bin} folder, or a folder containing it.
   *
   * @throws UserError for a missing path, a file that is not the expected archive, a truncated or
   *     damaged archive, missing files, batch files of a wrong size, labels over 9, or a class-name
   *     file without exactly 10 names
   */
  public static CifarDataset read(Path path) {
    Path abs = path.toAbsolutePath();
    if (!Files.exists(abs)) {
      throw new UserError(abs + " not found; " + HINT);
    }
    return Files.isDirectory(abs) ? readFolder(abs) : readArchive(abs);
  }

  // ---------------------------------------------------------------- archive

  private static CifarDataset readArchive(Path file) {
    MessageDigest sha = sha256();
    Split[] batches = new Split[TRAIN_FILES.size() + 1];
    List<String> classNames = null;
    InputStream fileIn;
    try {
      fileIn = Files.newInputStream(file);
    } catch (IOException e) {
      throw new UserError("cannot read " + file + ": " + Errors.reason(e) + "; " + HINT, e);
    }
    String where = "the gzip header";
    int entries = 0;
    String last = null;
    try (InputStream raw = new BufferedInputStream(new DigestInputStream(fileIn, sha), IO_BUFFER)) {
      GzipCompressorInputStream gz;
      try {
        gz = new GzipCompressorInputStream(raw, true);
      } catch (IOException e) {
        throw new UserError(file + " is not a gzip file (expected cifar-10-binary.tar.gz as downloaded); " + HINT, e);
      }
      TarArchiveInputStream tar = new TarArchiveInputStream(gz);
      while (true) {
        where = last == null ? "the first tar header" : "the tar entry after " + last;
        TarArchiveEntry entry;
        try {
          entry = tar.getNextEntry();
        } catch (IOException e) {
          if (entries == 0 && !isTruncation(e)) {
            throw notTar(file, e);
          }
          throw e;
        }
        if (entry == null) {
          break;
        }
        entries++;
        last = printable(entry.getName());
        String base = baseName(entry.getName());
        int index = batchIndex(base);
        if (!entry.isFile() || (index < 0 && !base.equals(META_FILE))) {
          continue; // readme.html, the folder itself, anything else
        }
        String label = file + ": " + last;
        where = "entry " + last;
        if (index >= 0) {
          if (batches[index] != null) {
            throw new UserError(file + " holds " + base + " twice; " + ARCHIVE_FIX);
          }
          checkBatchSize(entry.getSize(), label, ARCHIVE_FIX);
          batches[index] = decode(readFully(tar, entry.getSize()), label, ARCHIVE_FIX);
        } else {
          if (classNames != null) {
            throw new UserError(file + " holds " + META_FILE + " twice; " + ARCHIVE_FIX);
          }
          checkMetaSize(entry.getSize(), label, ARCHIVE_FIX);
          classNames = parseClassNames(readFully(tar, entry.getSize()), label, ARCHIVE_FIX);
        }
      }
      if (entries == 0) {
        throw notTar(file, null);
      }
      // Read to the very end: this checks the gzip CRC and makes the digest cover the whole file.
      where = "the end of the compressed stream";
      // Bounded: a compressed stream can unpack to terabytes, which would look like a hang.
      if (drain(gz, MAX_TRAILING_BYTES) > MAX_TRAILING_BYTES) {
        throw new UserError(file + " holds more than " + (MAX_TRAILING_BYTES >> 20) + " MB after the end of its tar archive; "
            + ARCHIVE_FIX);
      }
      raw.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      if (isTruncation(e)) {
        throw new UserError(file + " is truncated (it ends inside " + where + "); " + ARCHIVE_FIX, e);
      }
      throw new UserError(file + " is damaged (" + Errors.reason(e) + ", in " + where + "); " + ARCHIVE_FIX, e);
    }
    for (int i = 0; i < batches.length; i++) {
      if (batches[i] == null) {
        throw new UserError(file + " has no " + FOLDER + "/" + fileName(i) + "; " + ARCHIVE_FIX);
      }
    }
    if (classNames == null) {
      throw new UserError(file + " has no " + FOLDER + "/" + META_FILE + "; " + ARCHIVE_FIX);
    }
    return assemble(batches, classNames, file, sha);
  }

  /** Reads {@code in} to its end or past {@code limit} bytes, whichever comes first; returns the bytes read. */
  private static long drain(InputStream in, long limit) throws IOException {
    byte[] buf = new byte[1 << 16];
    long total = 0;
    for (int n; total <= limit && (n = in.read(buf)) >= 0; ) total += n;
    return total;
  }

  /** Whether {@code e} means the data ended early; commons-compress says so without EOFException. */
  private static boolean isTruncation(Throwable e) {
    String m = e.getMessage();
    return e instanceof EOFException || (m != null && m.toLowerCase(Locale.ROOT).contains("truncated"));
  }

  private static UserError notTar(Path file, Throwable cause) {
    return new UserError(
        file + " is gzip-compressed but not a tar archive (expected cifar-10-binary.tar.gz as downloaded); " + HINT,
        cause);
  }

  // ---------------------------------------------------------------- folder

  private static CifarDataset readFolder(Path given) {
    Path dir = Files.isDirectory(given.resolve(FOLDER)) ? given.resolve(FOLDER) : given;
    if (!dir.getFileName().toString().equals(FOLDER)
        && TRAIN_FILES.stream().noneMatch(f -> Files.exists(dir.resolve(f)))) {
      throw new UserError(given + " holds neither a " + FOLDER + " folder nor " + TRAIN_FILES.get(0) + "; " + HINT);
    }
    MessageDigest sha = sha256();
    Split[] batches = new Split[TRAIN_FILES.size() + 1];
    for (int i = 0; i < batches.length; i++) {
      Path f = dir.resolve(fileName(i));
      long size = sizeOf(f);
      checkBatchSize(size, f.toString(), FOLDER_FIX);
      batches[i] = decode(readFile(f, size, sha), f.toString(), FOLDER_FIX);
    }
    Path meta = dir.resolve(META_FILE);
    long size = sizeOf(meta);
    checkMetaSize(size, meta.toString(), FOLDER_FIX);
    List<String> classNames = parseClassNames(readFile(meta, size, null), meta.toString(), FOLDER_FIX);
    return assemble(batches, classNames, given, sha);
  }

  private static long sizeOf(Path f) {
    if (!Files.isRegularFile(f)) {
      throw new UserError(f + " is missing; " + FOLDER_FIX);
    }
    try {
      return Files.size(f);
    } catch (IOException e) {
      throw new UserError("cannot read " + f + ": " + Errors.reason(e) + "; " + FOLDER_FIX, e);
    }
  }

  /** Reads {@code size} bytes of {@code f}, feeding them to {@code digest} if not null. */
  private static byte[] readFile(Path f, long size, MessageDigest digest) {
    try (InputStream in = Files.newInputStream(f)) {
      return readFully(digest == null ? in : new DigestInputStream(in, digest), size);
    } catch (EOFException e) {
      throw new UserError(f + " became shorter while it was read; " + FOLDER_FIX, e);
    } catch (IOException e) {
      throw new UserError("cannot read " + f + ": " + Errors.reason(e) + "; " + FOLDER_FIX, e);
    }
  }

  // ---------------------------------------------------------------- shared

  private static String fileName(int batchIndex) {
    return batchIndex < TRAIN_FILES.size() ? TRAIN_FILES.get(batchIndex) : TEST_FILE;
  }

  /** 0..4 for the training batches, 5 for the test batch, -1 for anything else. */
  private static int batchIndex(String baseName) {
    int i = TRAIN_FILES.indexOf(baseName);
    return i >= 0 ? i : baseName.equals(TEST_FILE) ? TRAIN_FILES.size() : -1;
  }

  /**
   * An entry name as it may appear in a one-line message: a damaged archive can hold any bytes there,
   * line breaks included, so control characters become '?' and a long name is cut.
   */
  static String printable(String entryName) {
    String s = entryName.replaceAll("\\p{Cntrl}", "?");
    return s.length() <= 120 ? s : s.substring(0, 117) + "...";
  }

  private static String baseName(String entryName) {
    String name = entryName.endsWith("/") ? entryName.substring(0, entryName.length() - 1) : entryName;
    return name.substring(name.lastIndexOf('/') + 1);
  }

  private static void checkBatchSize(long size, String label, String fix) {
    if (size <= 0 || size % RECORD_BYTES != 0) {
      throw new UserError(label + " is " + size + " bytes, which is not a positive multiple of " + RECORD_BYTES
          + " (one label byte and " + Split.IMAGE_BYTES + " pixel bytes per image); " + fix);
    }
    if (size / RECORD_BYTES > MAX_RECORDS_PER_FILE) {
      throw new UserError(label + " claims " + size / RECORD_BYTES + " images, more than the " + MAX_RECORDS_PER_FILE
          + " of all CIFAR-10; " + fix);
    }
  }

  private static void checkMetaSize(long size, String label, String fix) {
    if (size < 0 || size > MAX_META_BYTES) {
      throw new UserError(label + " is " + size + " bytes, too large for a list of 10 class names; " + fix);
    }
  }

  /**
   * Reads exactly {@code size} bytes, growing the buffer as data arrives instead of trusting {@code
   * size} up front, so a lying header costs at most {@link #FIRST_ALLOCATION} bytes.
   *
   * @throws EOFException if the stream ends early
   */
  static byte[] readFully(InputStream in, long size) throws IOException {
    byte[] buf = new byte[(int) Math.min(size, FIRST_ALLOCATION)];
    int n = 0;
    while (n < size) {
      if (n == buf.length) {
        buf = Arrays.copyOf(buf, (int) Math.min(size, 2L * buf.length));
      }
      int r = in.read(buf, n, buf.length - n);
      if (r < 0) {
        throw new EOFException("expected " + size + " bytes, got " + n);
      }
      n += r;
    }
    return buf;
  }

  /**
   * Converts whole records (label byte, then R, G and B planes) into a split in NHWC order,
   * rejecting labels over 9 with the record's index.
   */
  static Split decode(byte[] raw, String label, String fix) {
    final int plane = Split.HEIGHT * Split.WIDTH;
    int n = raw.length / RECORD_BYTES;
    byte[] images = new byte[n * Split.IMAGE_BYTES];
    byte[] labels = new byte[n];
    for (int r = 0; r < n; r++) {
      int src = r * RECORD_BYTES;
      int value = raw[src] & 0xFF;
      if (value >= Split.CLASSES) {
        throw new UserError(label + ": record " + r + " (counting from 0) has label " + value
            + ", but labels must be 0.." + (Split.CLASSES - 1) + "; " + fix);
      }
      labels[r] = (byte) value;
      int red = src + 1;
      int green = red + plane;
      int blue = green + plane;
      int dst = r * Split.IMAGE_BYTES;
      for (int p = 0; p < plane; p++, dst += Split.CHANNELS) {
        images[dst] = raw[red + p];
        images[dst + 1] = raw[green + p];
        images[dst + 2] = raw[blue + p];
      }
    }
    return new Split(images, labels);
  }

  /** The non-blank lines of {@code batches.meta.txt}; there must be exactly 10. */
  static List<String> parseClassNames(byte[] bytes, String label, String fix) {
    List<String> names = new String(bytes, StandardCharsets.UTF_8).lines().map(String::strip)
        .filter(s -> !s.isEmpty()).toList();
    if (names.size() != Split.CLASSES) {
      throw new UserError(label + " has " + names.size() + " class names, expected " + Split.CLASSES
          + " (one per line); " + fix);
    }
    return names;
  }

  private static CifarDataset assemble(Split[] batches, List<String> classNames, Path source, MessageDigest sha) {
    Split test = batches[TRAIN_FILES.size()];
    Split train = concatTrain(batches);
    return new CifarDataset(train, test, classNames, source.toString(), HexFormat.of().formatHex(sha.digest()));
  }

  /** Joins the training batches in file order, dropping each from {@code batches} once copied. */
  private static Split concatTrain(Split[] batches) {
    long count = 0;
    for (int i = 0; i < TRAIN_FILES.size(); i++) {
      count += batches[i].size();
    }
    byte[] images = new byte[Math.toIntExact(count * Split.IMAGE_BYTES)];
    byte[] labels = new byte[(int) count];
    int at = 0;
    for (int i = 0; i < TRAIN_FILES.size(); i++) {
      Split p = batches[i];
      System.arraycopy(p.images(), 0, images, at * Split.IMAGE_BYTES, p.images().length);
      System.arraycopy(p.labels(), 0, labels, at, p.size());
      at += p.size();
      batches[i] = null; // let the part be collected while the rest is copied
    }
    return new Split(images, labels);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
