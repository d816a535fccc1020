package org.cifarresnet.interop;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.cifarresnet.util.AtomicFiles;
import org.cifarresnet.util.UserError;

/**
 * A Keras 3 {@code .keras} archive opened for reading: a zip that Keras' {@code model.save} writes
 * ({@code saving_lib._save_model_to_fileobj}) with {@code metadata.json} ({@code keras_version},
 * {@code date_saved}), {@code config.json} (the model, see {@link Keras3Config}) and
 * {@code model.weights.h5} (the variables, see {@link Keras3Layout}), all stored uncompressed, plus an
 * {@code assets/} folder for layers that have files (the example's have none).
 *
 * <p>An archive is input from anyone, so nothing in it is trusted. Nothing is extracted by its entry's
 * name: the two JSON members are read into memory and the weights into a temporary file of our own
 * naming, deleted on {@link #close}. Every member is counted as it is unpacked, against a cap and
 * against its stored size, so a member that claims little in its header and inflates to gigabytes is
 * stopped after a few megabytes. Entry names that climb out of the archive ({@code ../}, absolute,
 * drive letters) are refused though never used as paths: Keras' own loader extracts {@code assets/}
 * to disk, and such an archive was made to attack someone.
 */
final class Keras3Archive implements AutoCloseable {
  static final String CONFIG = "config.json";
  static final String METADATA = "metadata.json";
  static final String WEIGHTS = "model.weights.h5";

  /** Keras writes three members, plus one per asset file; the example has none. */
  static final int MAX_ENTRIES = 1000;
  /** config.json of a ResNet1202 (about 4,800 layers) is a few MB. */
  static final long MAX_CONFIG_BYTES = 32L << 20;
  static final long MAX_METADATA_BYTES = 1L << 20;
  /** A ResNet1202's weights with Adam's two moments are about 235 MB. */
  static final long MAX_WEIGHTS_BYTES = 1L << 30;
  /**
   * Keras stores members uncompressed; a recompressed archive shrinks JSON maybe twentyfold and
   * weights hardly at all. Past a megabyte, more than this many times the stored size is a bomb.
   */
  static final int MAX_EXPANSION = 200;

  private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};
  private static final byte[] HDF5_MAGIC = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

  private final Path file;
  private final String config;
  private final String metadata;
  private final Path weights;

  private Keras3Archive(Path file, String config, String metadata, Path weights) {
    this.file = file;
    this.config = config;
    this.metadata = metadata;
    this.weights = weights;
  }

  /** True if the file starts as a zip archive does; false for anything else, a missing file included. */
  static boolean isZip(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return Arrays.equals(in.readNBytes(4), ZIP_MAGIC);
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Checks the archive's entries and unpacks its config, metadata and weights.
   *
   * @throws UserError naming the problem: not a zip, too many entries, a climbing or repeated name,
   *     a missing member, a member too large or inflating too far, or weights that are not HDF5
   */
  static Keras3Archive open(Path file) {
    try (ZipFile zip = new ZipFile(file.toFile())) {
      Map<String, ZipEntry> members = members(file, zip);
      ZipEntry configEntry = members.get(CONFIG);
      ZipEntry weightsEntry = members.get(WEIGHTS);
      if (configEntry == null) throw missing(file, CONFIG, "the model's description");
      if (weightsEntry == null) {
        if (members.containsKey("model.weights.npz")) {
          throw new UserError(file + " keeps its weights as model.weights.npz (weights_format=\"npz\"); only the default"
              + " model.weights.h5 is read: save the model with model.save(path) and no weights_format");
        }
        throw missing(file, WEIGHTS, "the weights");
      }
      String config = new String(read(file, zip, configEntry, MAX_CONFIG_BYTES), StandardCharsets.UTF_8);
      ZipEntry metadataEntry = members.get(METADATA);
      String metadata = metadataEntry == null ? null
          : new String(read(file, zip, metadataEntry, MAX_METADATA_BYTES), StandardCharsets.UTF_8);
      Path weights = Files.createTempFile("cifar-resnet-keras3-", ".weights.h5");
      try {
        try (OutputStream out = Files.newOutputStream(weights)) {
          copy(file, zip, weightsEntry, MAX_WEIGHTS_BYTES, out);
        }
        checkHdf5(file, weights);
        return new Keras3Archive(file, config, metadata, weights);
      } catch (RuntimeException | IOException e) {
        Files.deleteIfExists(weights);
        throw e;
      }
    } catch (ZipException e) {
      throw new UserError(file + " is not a readable zip archive (" + e.getMessage() + "); pass the .keras file"
          + " written by Keras 3's model.save, or a .weights.h5 or .h5 file", e);
    } catch (IOException e) {
      throw new UserError("cannot read " + file + " (" + AtomicFiles.describe(e) + ")", e);
    }
  }

  /** Every entry by name, after checking their number and names. */
  private static Map<String, ZipEntry> members(Path file, ZipFile zip) {
    Map<String, ZipEntry> members = new HashMap<>();
    int count = 0;
    for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements(); ) {
      ZipEntry entry = e.nextElement();
      if (++count > MAX_ENTRIES) {
        throw new UserError(file + " holds more than " + MAX_ENTRIES + " entries; a .keras archive of the cifar10_resnet"
            + " example holds three: pass the file written by model.save");
      }
      String name = entry.getName();
      if (climbsOut(name)) {
        throw new UserError(file + " holds an entry named '" + printable(name) + "', which points outside the archive;"
            + " Keras never writes one: the file was made to attack, refusing it");
      }
      if (members.put(name, entry) != null) {
        throw new UserError(file + " holds two entries named '" + printable(name) + "'; Keras writes each once:"
            + " pass the file written by model.save");
      }
    }
    return members;
  }

  /** A name that, extracted, would land outside the folder: absolute, with a drive, or with a .. part. */
  static boolean climbsOut(String name) {
    if (name.isEmpty() || name.indexOf('\0') >= 0) return true;
    String n = name.replace('\\', '/');
    if (n.startsWith("/") || (n.length() > 1 && n.charAt(1) == ':')) return true;
    return Arrays.asList(n.split("/", -1)).contains("..");
  }

  private static byte[] read(Path file, ZipFile zip, ZipEntry entry, long cap) throws IOException {
    var out = new ByteArrayOutputStream();
    copy(file, zip, entry, cap, out);
    return out.toByteArray();
  }

  /**
   * Unpacks one member, counting what comes out: past {@code cap}, past what its header declares, or
   * past {@link #MAX_EXPANSION} times its stored size, it stops and says so.
   */
  private static void copy(Path file, ZipFile zip, ZipEntry entry, long cap, OutputStream out) throws IOException {
    long declared = entry.getSize();
    if (declared > cap) throw tooLarge(file, entry, "its header declares " + declared + " bytes", cap);
    long stored = Math.max(entry.getCompressedSize(), 0);
    long expansionCap = Math.max(1L << 20, stored * MAX_EXPANSION);
    byte[] buffer = new byte[1 << 16];
    long total = 0;
    try (InputStream in = zip.getInputStream(entry)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        total += n;
        if (total > cap) throw tooLarge(file, entry, "stopped at " + total + " bytes", cap);
        if (declared >= 0 && total > declared) {
          throw new UserError(file + ": its " + entry.getName() + " unpacks to more than the " + declared
              + " bytes its header declares; the archive is damaged or made to attack: save the model again");
        }
        if (total > expansionCap) {
          throw new UserError(file + ": its " + entry.getName() + " unpacks to over " + MAX_EXPANSION + " times its "
              + stored + " stored bytes, a zip bomb (Keras stores members uncompressed); refusing it");
        }
        out.write(buffer, 0, n);
      }
    } catch (ZipException | EOFException e) {
      throw new UserError(file + ": its " + entry.getName() + " is damaged (" + e.getMessage()
          + "); save the model again with model.save", e);
    }
    if (declared >= 0 && total != declared) {
      throw new UserError(file + ": its " + entry.getName() + " unpacks to " + total + " bytes, its header declares "
          + declared + "; the archive is damaged: save the model again");
    }
  }

  private static void checkHdf5(Path file, Path weights) throws IOException {
    try (InputStream in = Files.newInputStream(weights)) {
      if (!Arrays.equals(in.readNBytes(HDF5_MAGIC.length), HDF5_MAGIC)) {
        throw new UserError(file + ": its " + WEIGHTS + " is not an HDF5 file; save the model again with Keras' model.save");
      }
    }
  }

  private static UserError tooLarge(Path file, ZipEntry entry, String detail, long cap) {
    return new UserError(file + ": its " + entry.getName() + " unpacks to more than " + (cap >> 20) + " MB (" + detail
        + "), far more than a Keras archive of a CIFAR ResNet holds; refusing it");
  }

  private static UserError missing(Path file, String member, String what) {
    return new UserError(file + " has no " + member + " (" + what + "); a .keras archive written by Keras 3's model.save"
        + " has one: save the model again, or pass its .weights.h5 file");
  }

  /** A name as it can be shown on one line. */
  private static String printable(String name) {
    return name.replaceAll("[\\p{Cntrl}]", "?");
  }

  Path file() {
    return file;
  }

  String config() {
    return config;
  }

  /**
   * The Keras version metadata.json names, or "3.x". The metadata is optional, as for
   * Keras' loader, which never reads it.
   */
  String kerasVersion() {
    try {
      if (metadata != null && JsonParser.parseString(metadata) instanceof JsonObject o
          && o.get("keras_version") instanceof JsonPrimitive p && p.isString()) {
        String version = p.getAsString().replaceAll("[^\\w.+-]", "?");
        return version.substring(0, Math.min(version.length(), 40));
      }
    } catch (JsonParseException e) {
      // an unreadable metadata.json names no version; the weights are what matters
    }
    return "3.x";
  }

  /** The temporary copy of model.weights.h5. */
  Path weights() {
    return weights;
  }

  @Override
  public void close() {
    try {
      Files.deleteIfExists(weights);
    } catch (IOException e) {
      // A temporary file left behind is all that can go wrong here; the system's cleaner takes it.
    }
  }
}
