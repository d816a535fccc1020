package org.cifarresnet.faults;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.cifarresnet.checkpoint.Checkpoint;
import org.cifarresnet.data.CifarReader;
import org.cifarresnet.interop.KerasImport;
import org.cifarresnet.util.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile files that random mutation is unlikely to build: bombs that unpack to far more than they
 * weigh, headers whose numbers overflow, and a Keras weight claiming terabytes. Each must give the
 * one-line error, having read no more than the limit it exceeds, without allocating what it claims.
 */
class HostileInputTest {
  @TempDir Path dir;

  @Test
  void aNpyShapeWhoseProductOverflowsIsRefused() throws IOException {
    // 3 x 6148914691236517206 elements overflow a long to 2: two floats of data would have matched.
    Path file = checkpointWith(1, npyHeader("(3, 6148914691236517206)"), 8);
    UserError e = assertThrows(UserError.class, () -> Checkpoint.load(file));
    assertTrue(e.getMessage().contains("too large"), e.getMessage());
  }

  @Test
  void aCheckpointThatUnpacksToGigabytesIsRefused() throws IOException {
    // Six arrays of 60 MB of zeros: a 360 MB checkpoint in a file of about 400 KB.
    int floats = 15 << 20;
    Path file = checkpointWith(6, npyHeader("(" + floats + ",)"), floats * 4);
    assertTrue(Files.size(file) < 2 << 20);
    UserError e = assertThrows(UserError.class, () -> Checkpoint.load(file));
    // This reason is given only when the running total passes the limit: the rest is never unpacked.
    assertTrue(e.getMessage().contains("more than any checkpoint"), e.getMessage());
  }

  @Test
  void anArchiveWithGigabytesAfterItsEndIsRefusedSoon() throws IOException {
    byte[] tar = Mutator.gunzip(FuzzTargets.archiveSeed());
    var out = new ByteArrayOutputStream();
    try (var gz = new GZIPOutputStream(out)) {
      gz.write(tar);
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 40; i++) gz.write(zeros); // stands for the terabytes a real bomb would hold
    }
    Path file = Files.write(dir.resolve("cifar-10-binary.tar.gz"), out.toByteArray());
    UserError e = assertThrows(UserError.class, () -> CifarReader.read(file));
    // Said only once 16 MB past the end have been read: the reader stops there, not at the last byte.
    assertTrue(e.getMessage().contains("more than 16 MB after the end of its tar archive"), e.getMessage());
  }

  @Test
  void aKerasWeightClaimingAHugeShapeIsRefusedWithoutAllocatingIt() throws IOException {
    // The projection conv2d_6 (Keras 2.2 name), [1, 1, 16, 32] in the file, claims [1, 1, 16, 2^36]: 4 TB of floats.
    byte[] h5 = FuzzTargets.KERAS_H5.seeds().get(1);
    ByteBuffer b = ByteBuffer.wrap(h5).order(ByteOrder.LITTLE_ENDIAN);
    int patched = 0;
    for (int i = 0; i + 32 <= h5.length; i++) { // the dataspace's sizes, 8 bytes each
      if (b.getLong(i) == 1 && b.getLong(i + 8) == 1 && b.getLong(i + 16) == 16 && b.getLong(i + 24) == 32) {
        b.putLong(i + 24, 1L << 36);
        patched++;
      }
    }
    assertTrue(patched > 0, "the seed has no [1, 1, 16, 32] dataset");
    Path file = Files.write(dir.resolve("huge.h5"), h5);
    assertThrows(UserError.class, () -> KerasImport.read(file, null));
    FuzzTargets.KERAS_H5.accept(h5); // throws if it allocated over 128 MB
  }

  private static byte[] npyHeader(String shape) {
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
    String header = dict + " ".repeat(63 - (10 + dict.length()) % 64) + "\n";
    ByteBuffer b = ByteBuffer.allocate(10 + header.length()).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
    b.put(header.getBytes(StandardCharsets.US_ASCII));
    return b.array();
  }

  /** The fuzz seed's checkpoint plus {@code copies} arrays of this header and {@code dataBytes} zeros. */
  private Path checkpointWith(int copies, byte[] header, int dataBytes) throws IOException {
    var out = new ByteArrayOutputStream();
    try (var in = new ZipInputStream(new ByteArrayInputStream(FuzzTargets.checkpointSeed()));
        var zip = new ZipOutputStream(out)) {
      for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
        zip.putNextEntry(new ZipEntry(e.getName()));
        zip.write(in.readAllBytes());
        zip.closeEntry();
      }
      byte[] zeros = new byte[1 << 20];
      for (int c = 0; c < copies; c++) {
        zip.putNextEntry(new ZipEntry("hostile_" + c + ".npy"));
        zip.write(header);
        for (int left = dataBytes; left > 0; left -= zeros.length) zip.write(zeros, 0, Math.min(left, zeros.length));
        zip.closeEntry();
      }
    }
    return Files.write(dir.resolve("hostile.npz"), out.toByteArray());
  }
}
