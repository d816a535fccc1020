package org.cifarresnet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.cifarresnet.util.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarReaderTest {
  private static final int PER_BATCH = 12;
  private static final int TEST_IMAGES = 7;
  private static final long SEED = 42;

  @TempDir Path tmp;

  // ---------------------------------------------------------------- good input

  @Test
  void readsArchiveExactly() throws Exception {
    Path file = TinyCifar.writeArchive(tmp.resolve("cifar-10-binary.tar.gz"), PER_BATCH, TEST_IMAGES, SEED);
    CifarDataset data = CifarReader.read(file);
    assertContent(TinyCifar.builder(PER_BATCH, TEST_IMAGES, SEED), data);
    assertEquals(file.toAbsolutePath().toString(), data.source());
    assertEquals(sha256(Files.readAllBytes(file)), data.sha256());
  }

  @Test
  void readsShuffledArchive() {
    TinyCifar.Builder b = TinyCifar.builder(PER_BATCH, TEST_IMAGES, SEED).shuffled();
    CifarDataset data = CifarReader.read(b.writeArchive(tmp.resolve("c.tar.gz")));
    assertContent(b, data);
  }

  @Test
  void readsFolderAndItsParent() throws Exception {
    TinyCifar.Builder b = TinyCifar.builder(PER_BATCH, TEST_IMAGES, SEED);
    Path folder = b.writeFolder(tmp);
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (String name : TinyCifar.BATCH_FILES) {
      all.write(Files.readAllBytes(folder.resolve(name)));
    }
    for (Path p : List.of(folder, tmp)) {
      CifarDataset data = CifarReader.read(p);
      assertContent(b, data);
      assertEquals(p.toAbsolutePath().toString(), data.source());
      assertEquals(sha256(all.toByteArray()), data.sha256());
    }
  }

  @Test
  void archiveAndFolderGiveTheSameSplits() {
    CifarDataset a = CifarReader.read(TinyCifar.writeArchive(tmp.resolve("c.tar.gz"), 5, 3, 9));
    CifarDataset f = CifarReader.read(TinyCifar.writeFolder(tmp.resolve("x"), 5, 3, 9));
    assertEquals(a.train(), f.train());
    assertEquals(a.test(), f.test());
  }

  @Test
  void convertsPlanesToHwcOnAKnownPixel() {
    // Record 3 of data_batch_2, green channel, row 5, column 7: a byte we set ourselves.
    Path folder = TinyCifar.writeFolder(tmp, 4, 2, SEED);
    byte[] raw;
    try {
      Path f = folder.resolve("data_batch_2.bin");
      raw = Files.readAllBytes(f);
      raw[TinyCifar.rawIndex(3, 1, 5, 7)] = (byte) 0xAB;
      raw[TinyCifar.rawIndex(3, 0, 5, 7)] = (byte) 0x01;
      raw[TinyCifar.rawIndex(3, 2, 5, 7)] = (byte) 0xFE;
      Files.write(f, raw);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    Split train = CifarReader.read(folder).train();
    int image = 4 + 3; // batch 1 holds images 0..3
    assertEquals((byte) 0x01, train.images()[TinyCifar.hwcIndex(image, 0, 5, 7)]);
    assertEquals((byte) 0xAB, train.images()[TinyCifar.hwcIndex(image, 1, 5, 7)]);
    assertEquals((byte) 0xFE, train.images()[TinyCifar.hwcIndex(image, 2, 5, 7)]);
    // The three channels of a pixel are adjacent, pixels of a row follow each other.
    assertEquals(image * 3072 + (5 * 32 + 7) * 3 + 1, TinyCifar.hwcIndex(image, 1, 5, 7));
  }

  @Test
  void imagesOfAClassShareTheirColour() {
    // The fixture must be learnable: the mean colour of an image tells its class.
    Split train = CifarReader.read(TinyCifar.writeArchive(tmp.resolve("c.tar.gz"), 20, 10, 3)).train();
    for (int i = 0; i < train.size(); i++) {
      double[] mean = new double[3];
      for (int p = 0; p < 1024; p++) {
        for (int c = 0; c < 3; c++) {
          mean[c] += (train.images()[i * 3072 + p * 3 + c] & 0xFF) / 1024.0;
        }
      }
      int label = train.labels()[i];
      for (int j = 0; j < train.size(); j++) {
        if (train.labels()[j] == label) {
          int other = j;
          double d = 0;
          for (int c = 0; c < 3; c++) {
            double m = 0;
            for (int p = 0; p < 1024; p++) {
              m += (train.images()[other * 3072 + p * 3 + c] & 0xFF) / 1024.0;
            }
            d += Math.abs(m - mean[c]);
          }
          assertTrue(d < 30, "images " + i + " and " + j + " of class " + label + " differ by " + d);
        }
      }
    }
    int[] counts = new int[10];
    for (byte l : train.labels()) {
      counts[l]++;
    }
    for (int c : counts) {
      assertEquals(10, c);
    }
  }

  // ---------------------------------------------------------------- bad input

  @Test
  void missingPath() {
    UserError e = fails(tmp.resolve("nope.tar.gz"));
    assertMessage(e, "nope.tar.gz not found", "--data");
  }

  @Test
  void notGzip() {
    Path file = TinyCifar.builder(2, 1, SEED).uncompressed().writeArchive(tmp.resolve("c.tar.gz"));
    assertMessage(fails(file), "c.tar.gz is not a gzip file", "--data");
  }

  @Test
  void emptyFile() throws IOException {
    Path file = Files.write(tmp.resolve("c.tar.gz"), new byte[0]);
    assertMessage(fails(file), "not a gzip file");
  }

  @Test
  void gzipButNotTar() {
    Path file = TinyCifar.builder(2, 1, SEED).notTar().writeArchive(tmp.resolve("c.tar.gz"));
    assertMessage(fails(file), "not a tar archive", "--data");
  }

  @Test
  void shortGzipButNotTar() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GzipCompressorOutputStream gz = new GzipCompressorOutputStream(bytes)) {
      gz.write("hello\n".getBytes(StandardCharsets.US_ASCII));
    }
    Path file = Files.write(tmp.resolve("c.tar.gz"), bytes.toByteArray());
    assertMessage(fails(file), "not a tar archive");
  }

  @Test
  void truncatedCompressedStream() {
    Path file = TinyCifar.builder(PER_BATCH, TEST_IMAGES, SEED).truncateCompressed(0.6)
        .writeArchive(tmp.resolve("c.tar.gz"));
    assertMessage(fails(file), "c.tar.gz is truncated", "download");
  }

  @Test
  void truncatedInsideAnEntry() {
    Path file = TinyCifar.builder(PER_BATCH, TEST_IMAGES, SEED).truncateTar(0.5)
        .writeArchive(tmp.resolve("c.tar.gz"));
    assertMessage(fails(file), "c.tar.gz is truncated", "inside entry cifar-10-batches-bin/");
  }

  @Test
  void missingBatchInArchive() {
    Path file = TinyCifar.builder(2, 1, SEED).without("data_batch_4.bin").writeArchive(tmp.resolve("c.tar.gz"));
    assertMessage(fails(file), "has no cifar-10-batches-bin/data_batch_4.bin");
  }

  @Test
  void missingTestBatchInFolder() {
    Path folder = TinyCifar.builder(2, 1, SEED).without("test_batch.bin").writeFolder(tmp);
    assertMessage(fails(folder), "test_batch.bin is missing");
  }

  @Test
  void missingMeta() {
    Path file = TinyCifar.builder(2, 1, SEED).without("batches.meta.txt").writeArchive(tmp.resolve("c.tar.gz"));
    assertMessage(fails(file), "has no cifar-10-batches-bin/batches.meta.txt");
    Path folder = TinyCifar.builder(2, 1, SEED).without("batches.meta.txt").writeFolder(tmp.resolve("f"));
    assertMessage(fails(folder), "batches.meta.txt is missing");
  }

  @Test
  void folderWithoutCifar() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("empty"));
    assertMessage(fails(dir), "holds neither a cifar-10-batches-bin folder nor data_batch_1.bin", "--data");
  }

  @Test
  void batchOfWrongSize() {
    TinyCifar.Builder b = TinyCifar.builder(3, 2, SEED).extraBytes("data_batch_2.bin", 5);
    String size = String.valueOf(3 * 3073 + 5);
    assertMessage(fails(b.writeArchive(tmp.resolve("c.tar.gz"))),
        "cifar-10-batches-bin/data_batch_2.bin is " + size + " bytes", "multiple of 3073");
    assertMessage(fails(b.writeFolder(tmp.resolve("f"))), "data_batch_2.bin is " + size + " bytes", "multiple of 3073");
  }

  @Test
  void emptyBatch() throws IOException {
    Path folder = TinyCifar.writeFolder(tmp, 2, 1, SEED);
    Files.write(folder.resolve("data_batch_5.bin"), new byte[0]);
    assertMessage(fails(folder), "data_batch_5.bin is 0 bytes", "multiple of 3073");
  }

  @Test
  void labelOverNine() {
    TinyCifar.Builder b = TinyCifar.builder(5, 4, SEED).label("test_batch.bin", 3, 10);
    assertMessage(fails(b.writeArchive(tmp.resolve("c.tar.gz"))),
        "cifar-10-batches-bin/test_batch.bin: record 3 (counting from 0) has label 10");
    TinyCifar.Builder c = TinyCifar.builder(5, 4, SEED).label("data_batch_1.bin", 0, 255);
    assertMessage(fails(c.writeFolder(tmp.resolve("f"))), "data_batch_1.bin: record 0 (counting from 0) has label 255");
  }

  @Test
  void wrongNumberOfClassNames() {
    TinyCifar.Builder b = TinyCifar.builder(2, 1, SEED).classNames(TinyCifar.CLASS_NAMES.subList(0, 9));
    assertMessage(fails(b.writeArchive(tmp.resolve("c.tar.gz"))), "batches.meta.txt has 9 class names, expected 10");
    assertMessage(fails(b.writeFolder(tmp.resolve("f"))), "batches.meta.txt has 9 class names, expected 10");
  }

  @Test
  void hugeClaimedEntryFailsWithoutAllocating() throws IOException {
    // A header claiming 2,000,000 records (6 GB) followed by one record of data.
    Path file = hostileArchive(3073L * 2_000_000);
    assertMessage(fails(file), "claims 2000000 images");
  }

  @Test
  void entryShorterThanItsHeaderSays() throws IOException {
    // A header claiming 50,000 records (154 MB), but only one record before the archive ends.
    long before = usedMemory();
    Path file = hostileArchive(3073L * 50_000);
    assertMessage(fails(file), "is truncated", "data_batch_1.bin");
    assertTrue(usedMemory() - before < 100 << 20, "allocated far more than was read");
  }

  /** A gzipped tar whose only entry claims {@code claimed} bytes but holds one record. */
  private Path hostileArchive(long claimed) throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry("cifar-10-batches-bin/data_batch_1.bin");
    entry.setSize(claimed);
    byte[] header = new byte[512];
    entry.writeEntryHeader(header);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GzipCompressorOutputStream gz = new GzipCompressorOutputStream(bytes)) {
      gz.write(header);
      gz.write(TinyCifar.batch(1, SEED, 0));
      gz.write(new byte[512 - 3073 % 512]);
    }
    return Files.write(tmp.resolve("hostile.tar.gz"), bytes.toByteArray());
  }

  private static long usedMemory() {
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  // ---------------------------------------------------------------- Split

  @Test
  void splitLimitAndValidation() {
    Split s = CifarReader.read(TinyCifar.writeArchive(tmp.resolve("c.tar.gz"), 3, 4, SEED)).test();
    assertEquals(4, s.size());
    Split two = s.limit(2);
    assertEquals(2, two.size());
    assertArrayEquals(Arrays.copyOf(s.images(), 2 * Split.IMAGE_BYTES), two.images());
    assertTrue(s.limit(4) == s);
    assertMessage(assertThrows(UserError.class, () -> s.limit(5)), "cannot take 5 images from a split of 4");
    assertThrows(IllegalArgumentException.class, () -> new Split(new byte[3071], new byte[1]));
    assertThrows(IllegalArgumentException.class, () -> new Split(new byte[3072], new byte[] {10}));
    assertEquals(3072, Split.IMAGE_BYTES);
  }

  // ---------------------------------------------------------------- helpers

  /** Checks sizes, class names and every byte against what the builder wrote. */
  private static void assertContent(TinyCifar.Builder b, CifarDataset data) {
    assertEquals(TinyCifar.CLASS_NAMES, data.classNames());
    int perBatch = b.file("data_batch_1.bin").length / 3073;
    assertEquals(5 * perBatch, data.train().size());
    for (int f = 0; f < 6; f++) {
      byte[] raw = b.file(TinyCifar.BATCH_FILES.get(f));
      Split split = f < 5 ? data.train() : data.test();
      int first = f < 5 ? f * perBatch : 0;
      int count = raw.length / 3073;
      if (f == 5) {
        assertEquals(count, split.size());
      }
      for (int i = 0; i < count; i++) {
        assertEquals(raw[i * 3073], split.labels()[first + i]);
        for (int c = 0; c < 3; c++) {
          for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
              if (raw[TinyCifar.rawIndex(i, c, y, x)] != split.images()[TinyCifar.hwcIndex(first + i, c, y, x)]) {
                throw new AssertionError("file " + f + " record " + i + " c" + c + " y" + y + " x" + x);
              }
            }
          }
        }
      }
    }
  }

  private static UserError fails(Path path) {
    return assertThrows(UserError.class, () -> CifarReader.read(path));
  }

  private static void assertMessage(UserError e, String... parts) {
    String m = e.getMessage();
    assertFalse(m.contains("\n") || m.contains("\r"), "not one line: " + m);
    for (String part : parts) {
      assertTrue(m.contains(part), "message lacks \"" + part + "\": " + m);
    }
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
