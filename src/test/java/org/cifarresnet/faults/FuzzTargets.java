package org.cifarresnet.faults;

import com.sun.management.ThreadMXBean;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.cifarresnet.checkpoint.Checkpoint;
import org.cifarresnet.checkpoint.CheckpointInfo;
import org.cifarresnet.checkpoint.Provenance;
import org.cifarresnet.config.Precision;
import org.cifarresnet.config.Presets;
import org.cifarresnet.config.RunConfig;
import org.cifarresnet.data.CifarReader;
import org.cifarresnet.data.TinyCifar;
import org.cifarresnet.eval.ImageInput;
import org.cifarresnet.interop.Keras3Fixture;
import org.cifarresnet.interop.KerasFixture;
import org.cifarresnet.interop.KerasImport;
import org.cifarresnet.model.CifarModel;
import org.cifarresnet.train.TrainingState;
import org.cifarresnet.util.UserError;

/**
 * The readers that take files from users, as fuzz targets: bytes in, and the only acceptable
 * outcomes are a result or a {@link UserError} (the one-line message). Anything else thrown, an
 * {@link OutOfMemoryError} included, is a finding. Each reader takes a path, so the bytes go to a
 * temporary file first, one per target and thread, overwritten for every input.
 */
enum FuzzTargets {
  /** {@link CifarReader#read}: {@code cifar-10-binary.tar.gz}. */
  CIFAR_ARCHIVE("cifar-archive", ".tar.gz", file -> CifarReader.read(file)),
  /** {@link ImageInput#read}: the PNG or JPEG files given to {@code predict}. */
  IMAGE("image", ".img", file -> ImageInput.read(file, new byte[32 * 32 * 3], 0)),
  /** {@link Checkpoint#load}: a {@code .npz} checkpoint given to evaluate, predict or resume. */
  CHECKPOINT("checkpoint", ".npz", file -> Checkpoint.load(file)),
  /**
   * {@link KerasImport#read}: the .h5 file given to {@code import-keras}, opened, matched against the
   * network and read, all that {@code import-keras} does with the file before it writes the run.
   */
  KERAS_H5("keras-h5", ".h5", file -> KerasImport.read(file, null)),
  /**
   * {@link KerasImport#read} on Keras 3 files: a {@code .keras} archive (unpacked, its config parsed
   * and checked) and a {@code .weights.h5} file, as {@code import-keras} reads them.
   */
  KERAS3("keras3", ".keras", file -> KerasImport.read(file, null)),
  /** {@link KerasImport#meanImageFromNpy}: the NumPy {@code .npy} mean image given to {@code import-keras --mean-image}. */
  NPY("npy", ".npy", file -> KerasImport.meanImageFromNpy(file));

  /** The name of its corpus folder, {@code src/test/resources/fuzz/<corpus>/}. */
  final String corpus;
  private final String suffix;
  private final Consumer<Path> reader;
  private final ThreadLocal<Path> scratch;

  FuzzTargets(String corpus, String suffix, Consumer<Path> reader) {
    this.corpus = corpus;
    this.suffix = suffix;
    this.reader = reader;
    this.scratch = ThreadLocal.withInitial(() -> {
      try {
        Path f = Files.createTempFile("fuzz-" + corpus + "-", suffix);
        f.toFile().deleteOnExit();
        return f;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /**
   * Runs the reader on {@code input}; returns normally for a result or a UserError, throws anything
   * else. Memory counts too: an input that makes the reader allocate more than {@link #MAX_ALLOCATION}
   * is a finding, since on a smaller heap it would be an OutOfMemoryError.
   */
  void accept(byte[] input) {
    accept(input, true);
  }

  /**
   * @param countAllocations false under Jazzer, whose agent instruments each class as the reader first
   *     loads it, in the reader's thread: that would count too. There a small heap catches memory bombs.
   */
  void accept(byte[] input, boolean countAllocations) {
    Path file = scratch.get();
    try {
      Files.write(file, input);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long before = ALLOCATIONS.getCurrentThreadAllocatedBytes();
    try {
      reader.accept(file);
    } catch (UserError e) {
      if (e.getMessage() == null || e.getMessage().isBlank() || e.getMessage().contains("\n")) {
        throw new AssertionError("a UserError must be one line: " + e.getMessage(), e);
      }
    }
    long allocated = ALLOCATIONS.getCurrentThreadAllocatedBytes() - before;
    if (countAllocations && allocated > MAX_ALLOCATION) {
      throw new AssertionError(corpus + ": " + (allocated >> 20) + " MB allocated for an input of " + input.length + " bytes");
    }
  }

  /** Far above what the seeds need (a few MB), far below a small machine's heap. */
  static final long MAX_ALLOCATION = 128L << 20;

  private static final ThreadMXBean ALLOCATIONS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** Valid inputs to mutate: small, so that each run is quick. */
  List<byte[]> seeds() {
    return switch (this) {
      case CIFAR_ARCHIVE -> List.of(archiveSeed());
      case IMAGE -> List.of(image("png", 40, 30), image("jpg", 24, 36));
      case CHECKPOINT -> List.of(checkpointSeed());
      case KERAS_H5 -> KerasFixture.fuzzSeeds();
      case KERAS3 -> Keras3Fixture.fuzzSeeds();
      case NPY -> List.of(meanImageSeed(), KerasFixture.npy(new long[] {4}, new float[] {0.5f, 0.25f, 1, 0}));
    };
  }

  /** A mean image as {@code np.mean(x_train / 255, axis=0)} gives it: float32 (32, 32, 3) in 0..1. */
  static byte[] meanImageSeed() {
    float[] mean = new float[32 * 32 * 3];
    for (int i = 0; i < mean.length; i++) mean[i] = 0.3f + 0.4f * (i % 7) / 7;
    return KerasFixture.npy(new long[] {32, 32, 3}, mean);
  }

  static byte[] archiveSeed() {
    try {
      Path f = Files.createTempFile("seed", ".tar.gz");
      try {
        TinyCifar.writeArchive(f, 1, 1, 1);
        return Files.readAllBytes(f);
      } finally {
        Files.delete(f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] image(String format, int width, int height) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = img.createGraphics();
    g.setColor(new Color(200, 40, 40, 180));
    g.fillOval(2, 2, width - 4, height - 4);
    g.dispose();
    if (format.equals("jpg")) {
      BufferedImage rgb = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
      rgb.getGraphics().drawImage(img, 0, 0, null);
      img = rgb;
    }
    var out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, format, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * A loadable checkpoint, kept small so that each input is quick: a real ResNet8 one with its
   * {@code checkpoint.json} and only its smallest arrays (the loader reads them all alike).
   */
  static byte[] checkpointSeed() {
    byte[] full = fullCheckpoint();
    var out = new ByteArrayOutputStream();
    try (var in = new ZipInputStream(new ByteArrayInputStream(full));
        var zip = new ZipOutputStream(out)) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        byte[] content = in.readAllBytes();
        if (content.length > 1024 && !e.getName().equals(Checkpoint.INFO_ENTRY)) continue;
        zip.putNextEntry(new ZipEntry(e.getName()));
        zip.write(content);
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The smallest network (ResNet8) without optimizer state: a complete checkpoint. */
  private static byte[] fullCheckpoint() {
    RunConfig config = Presets.byName("keras");
    config = config.with(config.model().withDepth(8));
    var info = new CheckpointInfo(CheckpointInfo.FORMAT, "best", config, TrainingState.start(),
        new CheckpointInfo.DatasetInfo("cifar.tar.gz", "0".repeat(64), TinyCifar.CLASS_NAMES, 40, 16),
        Provenance.current(1, Precision.FP32), "2026-01-01T00:00:00Z");
    try (var model = new CifarModel(config.model(), null, 1, Precision.FP32, 1)) {
      Path f = Files.createTempFile("seed", ".npz");
      try {
        Checkpoint.save(f, model, info, false);
        return Files.readAllBytes(f);
      } finally {
        Files.delete(f);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Jazzer's entry points ({@code faults/fuzz.sh} runs them with the standalone driver). */
  public static final class CifarArchive {
    public static void fuzzerTestOneInput(byte[] data) {
      CIFAR_ARCHIVE.accept(data, false);
    }
  }

  public static final class Image {
    public static void fuzzerTestOneInput(byte[] data) {
      IMAGE.accept(data, false);
    }
  }

  public static final class CheckpointFile {
    public static void fuzzerTestOneInput(byte[] data) {
      CHECKPOINT.accept(data, false);
    }
  }

  public static final class KerasH5 {
    public static void fuzzerTestOneInput(byte[] data) {
      KERAS_H5.accept(data, false);
    }
  }

  public static final class Keras3 {
    public static void fuzzerTestOneInput(byte[] data) {
      KERAS3.accept(data, false);
    }
  }

  public static final class NpyFile {
    public static void fuzzerTestOneInput(byte[] data) {
      NPY.accept(data, false);
    }
  }

  /** {@code FuzzTargets DIR}: writes each target's seeds to {@code DIR/<corpus>/seed-N}, for Jazzer. */
  public static void main(String[] args) throws IOException {
    for (FuzzTargets t : values()) {
      Path dir = Files.createDirectories(Path.of(args[0], t.corpus));
      List<byte[]> seeds = t.seeds();
      for (int i = 0; i < seeds.size(); i++) Files.write(dir.resolve("seed-" + i), seeds.get(i));
    }
    System.exit(0); // TensorFlow's threads would keep the JVM alive
  }
}
