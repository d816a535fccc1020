package org.cifarresnet.checkpoint;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy's {@code .npy} format (version 1.0) for little-endian float32 arrays, so that a checkpoint
 * opens in Python with {@code numpy.load}. Only what checkpoints need: C order, float32.
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern HEADER =
      Pattern.compile("\\{'descr': '<f4', 'fortran_order': False, 'shape': \\(([0-9, ]*)\\), \\}\\s*");
  /** Longest dimension accepted, in digits: any array that fits in memory has fewer. */
  private static final int MAX_DIGITS = 10;

  private Npy() {}

  static void write(OutputStream out, long[] shape, float[] data) throws IOException {
    StringBuilder dims = new StringBuilder();
    for (long d : shape) dims.append(d).append(", ");
    if (shape.length > 1) dims.setLength(dims.length() - 2);
    String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
    // The header is padded with spaces and a newline so that the data starts 64-byte aligned.
    int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
    int padding = (64 - unpadded % 64) % 64;
    String header = dict + " ".repeat(padding) + "\n";
    ByteBuffer head = ByteBuffer.allocate(MAGIC.length + 4).order(ByteOrder.LITTLE_ENDIAN);
    head.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
    out.write(head.array());
    out.write(header.getBytes(StandardCharsets.US_ASCII));
    ByteBuffer body = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    body.asFloatBuffer().put(data);
    out.write(body.array());
  }

  /** A float32 array read back, with its shape. */
  public record Array(long[] shape, float[] data) {}

  /** Parses a whole .npy file; any deviation from what {@link #write} produces is an IOException. */
  public static Array read(byte[] bytes) throws IOException {
    if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
      throw new IOException("not a .npy array");
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int headerLength = Short.toUnsignedInt(buf.getShort(8));
    if (bytes[6] != 1 || 10 + headerLength > bytes.length) throw new IOException("bad .npy header");
    String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
    Matcher m = HEADER.matcher(header);
    if (!m.matches()) throw new IOException("unsupported .npy header " + printable(header.strip()));
    List<String> dims = Arrays.stream(m.group(1).split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    for (String d : dims) {
      if (!d.chars().allMatch(Character::isDigit)) throw new IOException("bad .npy shape (" + printable(m.group(1)) + ")");
      if (d.length() > MAX_DIGITS) throw new IOException(".npy array too large");
    }
    long[] shape = dims.stream().mapToLong(Long::parseLong).toArray();
    long count = 1;
    for (long d : shape) {
      // Checked before multiplying: (3, 6148914691236517206) would overflow to 2 elements.
      if (d > Integer.MAX_VALUE / 4) throw new IOException(".npy array too large");
      count *= d;
      if (count > Integer.MAX_VALUE / 4) throw new IOException(".npy array too large");
    }
    int offset = 10 + headerLength;
    if (bytes.length - offset != count * 4) throw new IOException(".npy data has the wrong length");
    float[] data = new float[(int) count];
    ByteBuffer.wrap(bytes, offset, bytes.length - offset).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
    return new Array(shape, data);
  }

  /** Header text as it may appear in a one-line message: a damaged file can hold any bytes there. */
  private static String printable(String text) {
    String s = text.replaceAll("\\p{Cntrl}", "?");
    return s.length() <= 100 ? s : s.substring(0, 97) + "...";
  }
}
