package org.cifarresnet.faults;

import io.jhdf.HdfFile;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.dataset.ContiguousDataset;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Seeded mutations of valid files, blind and format-aware: truncations, bit flips, interesting values,
 * huge lengths written over header fields, slices cut or repeated; and, so that the inner formats are
 * reached past the outer checksums, mutations of the tar inside the gzip (recompressed, header checksums
 * fixed), of a PNG's or JPEG's dimensions, of the entries inside a checkpoint's zip (JSON and
 * {@code .npy} headers), rezipped with correct CRCs, of an HDF5 file's metadata rather than its data,
 * and of a Keras 3 archive's members (its config.json and the HDF5 metadata of its weights).
 */
final class Mutator {
  private static final long[] HUGE = {0x7FFF_FFFFL, 0xFFFF_FFFFL, 0x8000_0000L, 0x7FFF_FFFF_FFFF_FFFFL, 65535, 0};
  private static final String[] JSON_VALUES = {
    "-1", "0", "1e308", "2", "21", "99999999999999999999", "null", "\"\"", "[]", "{}", "true", "NaN", "-0.0", "\"x\""};

  private final Random random;
  /** Per HDF5 seed (by identity), the offsets of its bytes that are not dataset values. */
  private final Map<byte[], int[]> hdf5Metadata = new IdentityHashMap<>();

  Mutator(long seed) {
    this.random = new Random(seed);
  }

  byte[] mutate(FuzzTargets target, byte[] seed) {
    int structured = random.nextInt(3);
    if (structured == 0) {
      return switch (target) {
        case CIFAR_ARCHIVE -> gzip(mutateTar(gunzip(seed)));
        case IMAGE -> mutateImageHeader(seed);
        case CHECKPOINT -> mutateZipEntries(seed);
        case KERAS_H5 -> mutateHdf5Metadata(seed);
        case KERAS3 -> seed.length > 0 && seed[0] == 'P' ? mutateKerasArchive(seed) : mutateHdf5Metadata(seed);
        case NPY -> random.nextBoolean() ? mutateNpyHeader(seed) : mutateNpyValue(seed);
      };
    }
    byte[] b = blind(seed);
    return random.nextInt(4) == 0 ? blind(b) : b;
  }

  /** Format-blind mutations, the classic ones. */
  byte[] blind(byte[] in) {
    if (in.length == 0) return new byte[] {(byte) random.nextInt(256)};
    byte[] b = in.clone();
    switch (random.nextInt(7)) {
      case 0 -> b = Arrays.copyOf(b, random.nextInt(b.length)); // truncation
      case 1 -> { // bit flips
        for (int i = random.nextInt(8) + 1; i > 0; i--) b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
      }
      case 2 -> { // interesting bytes, mostly near the start where headers are
        for (int i = random.nextInt(4) + 1; i > 0; i--) {
          int at = random.nextBoolean() ? random.nextInt(Math.min(b.length, 600)) : random.nextInt(b.length);
          b[at] = (byte) new int[] {0, 0xFF, 0x7F, 0x80, random.nextInt(256)}[random.nextInt(5)];
        }
      }
      case 3 -> writeNumber(b, random.nextInt(Math.min(b.length, 1200)), HUGE[random.nextInt(HUGE.length)],
          random.nextBoolean() ? 4 : 8, random.nextBoolean()); // a huge length over a header field
      case 4 -> { // cut a slice out
        int from = random.nextInt(b.length);
        int to = Math.min(b.length, from + 1 + random.nextInt(Math.max(1, b.length / 8)));
        byte[] cut = new byte[b.length - (to - from)];
        System.arraycopy(b, 0, cut, 0, from);
        System.arraycopy(b, to, cut, from, b.length - to);
        b = cut;
      }
      case 5 -> { // repeat a slice
        int from = random.nextInt(b.length);
        int len = Math.min(b.length - from, 1 + random.nextInt(512));
        byte[] grown = new byte[b.length + len];
        System.arraycopy(b, 0, grown, 0, from + len);
        System.arraycopy(b, from, grown, from + len, b.length - from);
        b = grown;
      }
      default -> { // garbage from a random point on
        int from = random.nextInt(b.length);
        for (int i = from; i < Math.min(b.length, from + 1 + random.nextInt(2048)); i++) b[i] = (byte) random.nextInt(256);
      }
    }
    return b;
  }

  private static void writeNumber(byte[] b, int at, long value, int bytes, boolean bigEndian) {
    for (int i = 0; i < bytes && at + i < b.length; i++) {
      int shift = 8 * (bigEndian ? bytes - 1 - i : i);
      b[at + i] = (byte) (value >>> shift);
    }
  }

  // ------------------------------------------------------------------ tar inside gzip

  /** Changes one tar header field (size, type, name, mode) or the data, then fixes the header checksum. */
  byte[] mutateTar(byte[] tar) {
    List<Integer> headers = new ArrayList<>();
    for (int at = 0; at + 512 <= tar.length; ) {
      if (tar[at] == 0) break;
      headers.add(at);
      long size = parseOctal(tar, at + 124, 12);
      at += 512 + (int) ((size + 511) / 512 * 512);
    }
    if (headers.isEmpty()) return blind(tar);
    byte[] b = tar.clone();
    int h = headers.get(random.nextInt(headers.size()));
    switch (random.nextInt(6)) {
      case 0 -> { // a size in octal: huge, zero, or just off
        String[] sizes = {"77777777777", "00000000000", "00000006001", "10000000000", "00000000001", "7777777777 "};
        byte[] s = sizes[random.nextInt(sizes.length)].getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(s, 0, b, h + 124, s.length);
      }
      case 1 -> { // a size in base-256, as GNU tar writes sizes over 8 GiB
        b[h + 124] = (byte) 0x80;
        for (int i = 1; i < 12; i++) b[h + 124 + i] = (byte) (random.nextBoolean() ? 0xFF : random.nextInt(256));
      }
      case 2 -> b[h + 156] = (byte) "0125LKxgSDVM7"
          .charAt(random.nextInt(13)); // type: link, dir, GNU long name, pax header, sparse...
      case 3 -> { // a name: another batch's, empty, or unterminated
        String[] names = {"cifar-10-batches-bin/data_batch_1.bin", "cifar-10-batches-bin/test_batch.bin",
            "cifar-10-batches-bin/batches.meta.txt", "", "../../etc/x", "a".repeat(100)};
        byte[] n = Arrays.copyOf(names[random.nextInt(names.length)].getBytes(StandardCharsets.US_ASCII), 100);
        System.arraycopy(n, 0, b, h, 100);
      }
      case 4 -> { // a pax header whose record claims a huge length
        b[h + 156] = 'x';
        byte[] rec = "99999999999 path=x\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(rec, 0, b, Math.min(h + 512, b.length - rec.length), rec.length);
      }
      default -> b[h + 512 + random.nextInt(Math.max(1, Math.min(3073, b.length - h - 512)))] = (byte) random.nextInt(256);
    }
    if (random.nextInt(5) != 0) fixTarChecksum(b, h);
    return random.nextInt(4) == 0 ? Arrays.copyOf(b, random.nextInt(b.length)) : b;
  }

  private static long parseOctal(byte[] b, int at, int len) {
    long v = 0;
    for (int i = at; i < at + len && b[i] >= '0' && b[i] <= '7'; i++) v = v * 8 + (b[i] - '0');
    return v;
  }

  private static void fixTarChecksum(byte[] b, int h) {
    Arrays.fill(b, h + 148, h + 156, (byte) ' ');
    long sum = 0;
    for (int i = h; i < h + 512; i++) sum += b[i] & 0xFF;
    byte[] s = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(s, 0, b, h + 148, 8);
  }

  static byte[] gunzip(byte[] gz) {
    try (var in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] gzip(byte[] data) {
    var out = new ByteArrayOutputStream();
    try (var gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  // ------------------------------------------------------------------ images

  /** PNG: width or height in IHDR made huge or zero (CRC fixed or not); JPEG: the same in its SOF segment. */
  byte[] mutateImageHeader(byte[] img) {
    byte[] b = img.clone();
    long[] dims = {0, 1, 65535, 65536, 0x7FFF_FFFFL, 0xFFFF_FFFFL, 100_000, 20_000};
    long value = dims[random.nextInt(dims.length)];
    if (b.length > 33 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
      int at = 16 + (random.nextBoolean() ? 0 : 4); // IHDR width, height
      writeNumber(b, at, value, 4, true);
      if (random.nextInt(4) != 0) { // most readers skip the CRC check; fix it anyway to get past those that do
        CRC32 crc = new CRC32();
        crc.update(b, 12, 17);
        writeNumber(b, 29, crc.getValue(), 4, true);
      }
      return b;
    }
    for (int i = 2; i + 9 < b.length; i++) { // JPEG: the first SOFn marker
      if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xF0) == 0xC0 && b[i + 1] != (byte) 0xC4 && b[i + 1] != (byte) 0xC8
          && b[i + 1] != (byte) 0xCC) {
        writeNumber(b, i + 5 + (random.nextBoolean() ? 0 : 2), value, 2, true); // height, width
        if (random.nextInt(3) == 0) b[i + 9] = (byte) new int[] {0, 1, 4, 255}[random.nextInt(4)]; // components
        return b;
      }
    }
    return blind(b);
  }

  // ------------------------------------------------------------------ checkpoint zips

  /** Changes an entry's content (its JSON or .npy header), name or count, and writes a valid zip around it. */
  byte[] mutateZipEntries(byte[] zip) {
    List<String> names = new ArrayList<>();
    List<byte[]> contents = new ArrayList<>();
    if (!unzip(zip, names, contents) || names.isEmpty()) return blind(zip);
    int i = random.nextInt(names.size());
    if (random.nextInt(3) > 0) i = names.indexOf("checkpoint.json") >= 0 && random.nextBoolean() ? names.indexOf("checkpoint.json") : i;
    byte[] c = contents.get(i);
    switch (random.nextInt(6)) {
      case 0, 1 -> c = names.get(i).endsWith(".json") ? mutateJson(c) : mutateNpyHeader(c);
      case 2 -> c = blind(c);
      case 3 -> names.set(i, new String[] {"checkpoint.json", "x.npy", ".npy", "a/b.npy", ""}[random.nextInt(5)]);
      case 4 -> { names.remove(i); contents.remove(i); c = null; }
      default -> { names.add("extra" + names.size() + ".npy"); contents.add(c.clone()); }
    }
    if (c != null) contents.set(i, c);
    byte[] rezipped = zip(names, contents, false);
    return rezipped != null ? rezipped : blind(zip);
  }

  /** Per .keras seed (by identity), its model.weights.h5, so that its metadata offsets are found once. */
  private final Map<byte[], byte[]> kerasWeights = new IdentityHashMap<>();

  /**
   * Mutates one member of a Keras 3 archive (config.json as JSON, model.weights.h5 in its HDF5 metadata,
   * or any blindly), or drops, renames or adds one, and zips it again, stored or deflated.
   */
  byte[] mutateKerasArchive(byte[] zip) {
    List<String> names = new ArrayList<>();
    List<byte[]> contents = new ArrayList<>();
    if (!unzip(zip, names, contents)) return blind(zip);
    int weights = names.indexOf("model.weights.h5");
    int config = names.indexOf("config.json");
    if (weights < 0 || config < 0) return blind(zip);
    byte[] h5 = kerasWeights.computeIfAbsent(zip, z -> contents.get(weights));
    switch (random.nextInt(8)) {
      case 0, 1, 2 -> contents.set(config, mutateJson(contents.get(config)));
      case 3, 4 -> contents.set(weights, mutateHdf5Metadata(h5));
      case 5 -> {
        int i = random.nextInt(names.size());
        contents.set(i, blind(contents.get(i)));
      }
      case 6 -> names.set(random.nextInt(names.size()),
          new String[] {"config.json", "model.weights.npz", "../x", "assets/a", "metadata.json"}[random.nextInt(5)]);
      default -> {
        int i = random.nextInt(names.size());
        names.remove(i);
        contents.remove(i);
      }
    }
    byte[] rezipped = zip(names, contents, random.nextBoolean());
    return rezipped != null ? rezipped : blind(zip);
  }

  /** Reads every entry of a zip into names and contents; false when it is not a readable zip. */
  private static boolean unzip(byte[] zip, List<String> names, List<byte[]> contents) {
    try (var in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        names.add(e.getName());
        contents.add(in.readAllBytes());
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Zips the entries, stored or deflated; null when ZipOutputStream refuses them (a duplicate or
   * empty entry name), which the mutations can make.
   */
  private static byte[] zip(List<String> names, List<byte[]> contents, boolean stored) {
    var out = new ByteArrayOutputStream();
    try (var z = new ZipOutputStream(out)) {
      z.setLevel(1); // the fastest: a reader does not see the level
      for (int k = 0; k < names.size(); k++) {
        ZipEntry entry = new ZipEntry(names.get(k));
        if (stored) {
          CRC32 crc = new CRC32();
          crc.update(contents.get(k));
          entry.setMethod(ZipEntry.STORED);
          entry.setSize(contents.get(k).length);
          entry.setCrc(crc.getValue());
        }
        z.putNextEntry(entry);
        z.write(contents.get(k));
        z.closeEntry();
      }
    } catch (IOException | IllegalArgumentException e) {
      return null;
    }
    return out.toByteArray();
  }

  /** Replaces one JSON number, string or literal with an odd value, or cuts the text short. */
  byte[] mutateJson(byte[] json) {
    String s = new String(json, StandardCharsets.UTF_8);
    if (random.nextInt(6) == 0) return s.substring(0, random.nextInt(s.length() + 1)).getBytes(StandardCharsets.UTF_8);
    var m = Pattern.compile("-?[0-9][0-9.eE+-]*|\"[^\"]*\"|true|false|null").matcher(s);
    List<int[]> spans = new ArrayList<>();
    while (m.find()) spans.add(new int[] {m.start(), m.end()});
    if (spans.isEmpty()) return blind(json);
    int[] span = spans.get(random.nextInt(spans.size()));
    String value = JSON_VALUES[random.nextInt(JSON_VALUES.length)];
    return (s.substring(0, span[0]) + value + s.substring(span[1])).getBytes(StandardCharsets.UTF_8);
  }

  /** Rewrites a .npy header's shape (huge, zero, overflowing) or its declared length. */
  byte[] mutateNpyHeader(byte[] npy) {
    if (npy.length < 10) return blind(npy);
    int headerLength = (npy[8] & 0xFF) | (npy[9] & 0xFF) << 8;
    if (random.nextInt(4) == 0 || 10 + headerLength > npy.length) {
      byte[] b = npy.clone();
      writeNumber(b, 8, HUGE[random.nextInt(HUGE.length)], 2, false);
      return b;
    }
    String header = new String(npy, 10, headerLength, StandardCharsets.US_ASCII);
    String[] shapes = {"()", "(0,)", "(3, 6148914691236517206)", "(99999999999999999999,)", "(2147483647, 2)",
        "(16,)", "(1, 1, 1, 1, 1, 1)", "(-1,)", "(32, 32, 3)", "(32,32,3)", "(3 2,)", "(, )", "(3072,)"};
    String mutated = header.replaceFirst("'shape': \\([0-9, ]*\\)", "'shape': " + shapes[random.nextInt(shapes.length)]);
    byte[] h = mutated.getBytes(StandardCharsets.US_ASCII);
    byte[] b = new byte[10 + h.length + npy.length - 10 - headerLength];
    System.arraycopy(npy, 0, b, 0, 10);
    writeNumber(b, 8, h.length, 2, false);
    System.arraycopy(h, 0, b, 10, h.length);
    System.arraycopy(npy, 10 + headerLength, b, 10 + h.length, npy.length - 10 - headerLength);
    return b;
  }

  /** Puts an odd float (NaN, infinite, 255, negative, tiny) over one value of a .npy file's data. */
  byte[] mutateNpyValue(byte[] npy) {
    if (npy.length < 14) return blind(npy);
    int headerLength = (npy[8] & 0xFF) | (npy[9] & 0xFF) << 8;
    int values = (npy.length - 10 - headerLength) / 4;
    if (values <= 0) return blind(npy);
    float[] odd = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 255f, -0.5f, 1.0000001f, Float.MIN_VALUE, -0f};
    byte[] b = npy.clone();
    writeNumber(b, 10 + headerLength + 4 * random.nextInt(values), Float.floatToRawIntBits(odd[random.nextInt(odd.length)]) & 0xFFFF_FFFFL, 4, false);
    return b;
  }

  // ------------------------------------------------------------------ HDF5

  /**
   * Blind mutations of an HDF5 file's metadata (superblock, object headers with their dataspaces,
   * datatypes, layouts and attributes, heaps, B-trees): most of a weights file is float values, which
   * a blind mutation would mostly hit and no reader checks. A huge number (HDF5 is little-endian),
   * interesting bytes or random bytes, at places outside every dataset's values; sometimes twice.
   */
  byte[] mutateHdf5Metadata(byte[] h5) {
    int[] metadata = hdf5Metadata.computeIfAbsent(h5, Mutator::metadataOffsets);
    if (metadata.length == 0) return blind(h5);
    byte[] b = h5.clone();
    for (int round = random.nextInt(3) == 0 ? 2 : 1; round > 0; round--) {
      int at = metadata[random.nextInt(metadata.length)];
      switch (random.nextInt(4)) {
        case 0 -> writeNumber(b, at, HUGE[random.nextInt(HUGE.length)], new int[] {1, 2, 4, 8}[random.nextInt(4)], false);
        case 1 -> b[at] = (byte) new int[] {0, 0xFF, 0x7F, 0x80, 1}[random.nextInt(5)];
        case 2 -> b[at] += (byte) (random.nextBoolean() ? 1 : -1);
        default -> {
          for (int i = at; i < Math.min(b.length, at + 1 + random.nextInt(16)); i++) b[i] = (byte) random.nextInt(256);
        }
      }
    }
    return random.nextInt(8) == 0 ? Arrays.copyOf(b, random.nextInt(b.length)) : b;
  }

  /** The offsets of a valid HDF5 file's bytes that are not inside a contiguous dataset's values. */
  private static int[] metadataOffsets(byte[] h5) {
    boolean[] values = new boolean[h5.length];
    try (HdfFile f = HdfFile.fromBytes(h5)) {
      markValues(f, values);
    }
    int[] offsets = new int[h5.length];
    int n = 0;
    for (int i = 0; i < h5.length; i++) if (!values[i]) offsets[n++] = i;
    return Arrays.copyOf(offsets, n);
  }

  private static void markValues(Group group, boolean[] values) {
    for (Node node : group.getChildren().values()) {
      if (node instanceof Group g) {
        markValues(g, values);
      } else if (node instanceof ContiguousDataset d && d.getDataAddress() >= 0) {
        long end = Math.min(values.length, d.getDataAddress() + d.getSizeInBytes());
        for (long i = d.getDataAddress(); i < end; i++) values[(int) i] = true;
      }
    }
  }
}
