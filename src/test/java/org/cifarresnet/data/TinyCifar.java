package org.cifarresnet.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/**
 * Test fixture shared by every test package: tiny CIFAR-10 archives and folders in the official
 * binary layout, valid or deliberately broken, so that tests never need the real 170 MB file.
 *
 * <p>The images are learnable: each class has its own colour and pattern (stripes, checkers,
 * a disc, ...) plus noise, so a small network trained on a few hundred images should beat chance by
 * far. Labels come in shuffled runs of 0..9, so every class is equally represented. The content is
 * a pure function of the seed.
 *
 * <p>Usage: {@code TinyCifar.writeArchive(tmp.resolve("c.tar.gz"), 20, 10, 1)} for a valid archive,
 * or {@code TinyCifar.builder(20, 10, 1).without("test_batch.bin").writeArchive(file)} for a broken
 * one.
 */
public final class TinyCifar {
  public static final List<String> CLASS_NAMES = List.of(
      "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");
  /** The six batch files, in the order of their content in the dataset (train 1..5, then test). */
  public static final List<String> BATCH_FILES = List.of(
      "data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin",
      "test_batch.bin");
  public static final String META_FILE = "batches.meta.txt";
  public static final String FOLDER = "cifar-10-batches-bin";
  public static final int RECORD_BYTES = 3073;

  /** A well-separated base colour (R, G, B) per class. */
  private static final int[][] COLOURS = {
    {200, 40, 40}, {40, 200, 40}, {40, 40, 200}, {200, 200, 40}, {200, 40, 200},
    {40, 200, 200}, {230, 130, 30}, {120, 60, 20}, {128, 128, 128}, {235, 235, 235},
  };

  private TinyCifar() {}

  /** Writes a valid tiny {@code cifar-10-binary.tar.gz} (with a readme.html) to {@code file}. */
  public static Path writeArchive(Path file, int imagesPerBatch, int testImages, long seed) {
    return builder(imagesPerBatch, testImages, seed).writeArchive(file);
  }

  /** Writes a valid extracted folder {@code dir/cifar-10-batches-bin/} and returns that folder. */
  public static Path writeFolder(Path dir, int imagesPerBatch, int testImages, long seed) {
    return builder(imagesPerBatch, testImages, seed).writeFolder(dir);
  }

  /** A builder for valid or broken variants of the same deterministic content. */
  public static Builder builder(int imagesPerBatch, int testImages, long seed) {
    return new Builder(imagesPerBatch, testImages, seed);
  }

  /**
   * Index, inside a batch file, of the byte for record {@code i}, channel {@code c} (0 red, 1 green,
   * 2 blue), row {@code y}, column {@code x}: the file stores each image as three 32x32 planes.
   */
  public static int rawIndex(int i, int c, int y, int x) {
    return i * RECORD_BYTES + 1 + c * 1024 + y * 32 + x;
  }

  /** Index of the same pixel in an NHWC {@link Split#images()} array. */
  public static int hwcIndex(int i, int c, int y, int x) {
    return i * 3072 + (y * 32 + x) * 3 + c;
  }

  /** Whether pattern pixel (y, x) is "on" for a class: the shape that tells the classes apart. */
  static boolean pattern(int label, int y, int x) {
    return switch (label) {
      case 0 -> (y / 4) % 2 == 0; // horizontal stripes
      case 1 -> (x / 4) % 2 == 0; // vertical stripes
      case 2 -> (x / 4 + y / 4) % 2 == 0; // checkerboard
      case 3 -> ((x + y) / 4) % 2 == 0; // diagonal stripes
      case 4 -> ((x - y + 32) / 4) % 2 == 0; // anti-diagonal stripes
      case 5 -> (x - 16) * (x - 16) + (y - 16) * (y - 16) < 100; // disc
      case 6 -> y < 16; // top half
      case 7 -> x < 16; // left half
      case 8 -> x < 6 || x > 25 || y < 6 || y > 25; // frame
      default -> (x + y) % 2 == 0; // fine checkerboard
    };
  }

  /** The raw bytes of one batch file: {@code count} records with a class colour, pattern and noise. */
  static byte[] batch(int count, long seed, int fileIndex) {
    Random rnd = new Random(seed * 1_000_003L + fileIndex);
    byte[] out = new byte[count * RECORD_BYTES];
    List<Integer> run = new ArrayList<>(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
    for (int i = 0; i < count; i++) {
      if (i % 10 == 0) {
        Collections.shuffle(run, rnd);
      }
      int label = run.get(i % 10);
      out[i * RECORD_BYTES] = (byte) label;
      for (int c = 0; c < 3; c++) {
        for (int y = 0; y < 32; y++) {
          for (int x = 0; x < 32; x++) {
            int v = COLOURS[label][c] + (pattern(label, y, x) ? 40 : -40) + rnd.nextInt(41) - 20;
            out[rawIndex(i, c, y, x)] = (byte) Math.max(0, Math.min(255, v));
          }
        }
      }
    }
    return out;
  }

  /**
   * Makes one tiny dataset, optionally broken in one or more ways, as an archive or a folder. The
   * file-level breakages (missing file, wrong size, bad label, class names) apply to both; the
   * archive-level ones (shuffled, uncompressed, not a tar, truncated) only to {@link #writeArchive}.
   */
  public static final class Builder {
    private final int imagesPerBatch;
    private final int testImages;
    private final long seed;
    private final Set<String> omitted = new HashSet<>();
    private final Map<String, Integer> extraBytes = new HashMap<>();
    private final Map<String, int[]> labelOverrides = new HashMap<>();
    private List<String> classNames = CLASS_NAMES;
    private boolean shuffled;
    private boolean gzip = true;
    private boolean notTar;
    private double keepCompressed = 1;
    private double keepTar = 1;

    private Builder(int imagesPerBatch, int testImages, long seed) {
      if (imagesPerBatch <= 0 || testImages <= 0) {
        throw new IllegalArgumentException("need at least one image per batch");
      }
      this.imagesPerBatch = imagesPerBatch;
      this.testImages = testImages;
      this.seed = seed;
    }

    /** Leaves out a file: one of {@link #BATCH_FILES} or {@link #META_FILE}. */
    public Builder without(String fileName) {
      omitted.add(fileName);
      return this;
    }

    /** Appends {@code n} stray bytes to a batch file, so its size is not a multiple of 3073. */
    public Builder extraBytes(String fileName, int n) {
      extraBytes.put(fileName, n);
      return this;
    }

    /** Overwrites the label byte of one record, e.g. with 10 or 255 to make it invalid. */
    public Builder label(String fileName, int record, int value) {
      labelOverrides.put(fileName, new int[] {record, value});
      return this;
    }

    /** Writes these class names (one per line, plus blank lines) instead of the official ten. */
    public Builder classNames(List<String> names) {
      classNames = List.copyOf(names);
      return this;
    }

    /** Puts the tar entries in a seeded random order, the readme among them, without a folder entry. */
    public Builder shuffled() {
      shuffled = true;
      return this;
    }

    /** Writes the tar without gzip compression (an archive that is not gzip). */
    public Builder uncompressed() {
      gzip = false;
      return this;
    }

    /** Writes a gzip file whose content is plain text, not a tar. */
    public Builder notTar() {
      notTar = true;
      return this;
    }

    /** Keeps only this fraction of the .tar.gz file: EOF inside the compressed stream. */
    public Builder truncateCompressed(double fraction) {
      keepCompressed = fraction;
      return this;
    }

    /** Cuts the tar to this fraction, then gzips it properly: EOF inside a tar entry. */
    public Builder truncateTar(double fraction) {
      keepTar = fraction;
      return this;
    }

    /** The bytes of a file as written, after any breakage; null if left out. */
    public byte[] file(String fileName) {
      if (omitted.contains(fileName)) {
        return null;
      }
      if (fileName.equals(META_FILE)) {
        return (String.join("\n", classNames) + "\n\n").getBytes(StandardCharsets.US_ASCII);
      }
      int index = BATCH_FILES.indexOf(fileName);
      if (index < 0) {
        throw new IllegalArgumentException("not a CIFAR-10 file: " + fileName);
      }
      byte[] data = batch(index < 5 ? imagesPerBatch : testImages, seed, index);
      int[] override = labelOverrides.get(fileName);
      if (override != null) {
        data[override[0] * RECORD_BYTES] = (byte) override[1];
      }
      int extra = extraBytes.getOrDefault(fileName, 0);
      return extra == 0 ? data : Arrays.copyOf(data, data.length + extra);
    }

    /** All present files by name, in the official order (meta, batches, readme). */
    private Map<String, byte[]> files() {
      Map<String, byte[]> files = new LinkedHashMap<>();
      List<String> names = new ArrayList<>();
      names.add(META_FILE);
      names.addAll(BATCH_FILES);
      for (String name : names) {
        byte[] data = file(name);
        if (data != null) {
          files.put(name, data);
        }
      }
      return files;
    }

    /** Writes {@code file} as a .tar.gz (or the broken variant asked for) and returns it. */
    public Path writeArchive(Path file) {
      try {
        byte[] tar;
        if (notTar) {
          tar = "this is a text file, not a tar archive\n".repeat(40).getBytes(StandardCharsets.US_ASCII);
        } else {
          tar = tarBytes();
        }
        tar = Arrays.copyOf(tar, (int) (tar.length * keepTar));
        byte[] bytes = tar;
        if (gzip) {
          ByteArrayOutputStream gz = new ByteArrayOutputStream();
          try (GzipCompressorOutputStream out = new GzipCompressorOutputStream(gz)) {
            out.write(tar);
          }
          bytes = gz.toByteArray();
        }
        bytes = Arrays.copyOf(bytes, (int) (bytes.length * keepCompressed));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, bytes);
        return file;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private byte[] tarBytes() throws IOException {
      Map<String, byte[]> files = files();
      files.put("readme.html", "<html><body>CIFAR-10 test fixture</body></html>\n".getBytes(StandardCharsets.US_ASCII));
      List<String> order = new ArrayList<>(files.keySet());
      if (shuffled) {
        Collections.shuffle(order, new Random(seed));
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
        if (!shuffled) {
          tar.putArchiveEntry(new TarArchiveEntry(FOLDER + "/"));
          tar.closeArchiveEntry();
        }
        for (String name : order) {
          byte[] data = files.get(name);
          TarArchiveEntry entry = new TarArchiveEntry(FOLDER + "/" + name);
          entry.setSize(data.length);
          tar.putArchiveEntry(entry);
          tar.write(data);
          tar.closeArchiveEntry();
        }
      }
      return bytes.toByteArray();
    }

    /** Writes {@code dir/cifar-10-batches-bin/} with the files and returns that folder. */
    public Path writeFolder(Path dir) {
      try {
        Path folder = dir.resolve(FOLDER);
        Files.createDirectories(folder);
        for (Map.Entry<String, byte[]> e : files().entrySet()) {
          Files.write(folder.resolve(e.getKey()), e.getValue());
        }
        return folder;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
