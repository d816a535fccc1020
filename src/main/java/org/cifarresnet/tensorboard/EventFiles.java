package org.cifarresnet.tensorboard;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.tensorflow.proto.Event;

/**
 * Reads TensorBoard event files: TFRecord framing around serialized {@link Event} protos, the classes TF Java
 * ships. Each record is a little-endian uint64 length, the masked CRC32C of those 8 bytes, the data, and the
 * masked CRC32C of the data (TensorFlow's {@code record_writer.cc} and {@code crc32c.h}); both checksums are
 * checked.
 *
 * <p>A damaged record ends the reading of its file: what came before it is returned along with a description
 * of the damage. A run killed while TensorFlow was writing leaves a torn last record, and TensorBoard likewise
 * reads a file up to its first bad record.
 */
public final class EventFiles {
  private static final int HEADER_BYTES = 12; // uint64 length + masked CRC32C of the length
  private static final int FOOTER_BYTES = 4; // masked CRC32C of the data
  private static final int MASK_DELTA = 0xa282ead8;

  private EventFiles() {}

  /**
   * The events of one file, in the order written.
   *
   * @param events every event up to the first damaged record
   * @param damage what was wrong with that record and where, or null if the whole file read cleanly
   * @param truncated whether the damage is only that the file ends inside a record, as a kill while
   *     TensorFlow was writing leaves it (a checksum mismatch is not)
   */
  public record Contents(List<Event> events, String damage, boolean truncated) {}

  /** The event files in {@code dir}, oldest first (TensorFlow's names start with the creation time); none if absent. */
  public static List<Path> in(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) return List.of();
    try (Stream<Path> files = Files.list(dir)) {
      // TensorBoard's own test for an event file: "tfevents" in the name.
      return files.filter(f -> f.getFileName().toString().contains("tfevents") && Files.isRegularFile(f)).sorted().toList();
    }
  }

  /** Reads one event file, checking both checksums of every record. */
  public static Contents read(Path file) throws IOException {
    ByteBuffer in;
    try {
      in = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    } catch (NoSuchFileException e) {
      return new Contents(List.of(), null, false); // removed since it was listed: nothing to read
    }
    List<Event> events = new ArrayList<>();
    while (in.hasRemaining()) {
      int at = in.position();
      if (in.remaining() < HEADER_BYTES) return torn(events, file, at, "a torn record header");
      long length = in.getLong(at);
      if (in.getInt(at + 8) != maskedCrc(in, at, 8)) return damaged(events, file, at, "a length checksum mismatch");
      if (length < 0 || length > in.remaining() - HEADER_BYTES - FOOTER_BYTES) {
        return torn(events, file, at, "a torn record of " + Long.toUnsignedString(length) + " bytes");
      }
      int dataAt = at + HEADER_BYTES;
      int size = (int) length;
      if (in.getInt(dataAt + size) != maskedCrc(in, dataAt, size)) return damaged(events, file, at, "a data checksum mismatch");
      try {
        events.add(Event.parseFrom(in.slice(dataAt, size)));
      } catch (InvalidProtocolBufferException e) {
        return damaged(events, file, at, "a record that is not an Event (" + e.getMessage() + ")");
      }
      in.position(dataAt + size + FOOTER_BYTES);
    }
    return new Contents(events, null, false);
  }

  /** TFRecord's checksum: CRC32C, rotated and offset so that a CRC of data holding CRCs stays strong. */
  static int maskedCrc(ByteBuffer buffer, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(buffer.slice(offset, length));
    int c = (int) crc.getValue();
    return ((c >>> 15) | (c << 17)) + MASK_DELTA;
  }

  private static Contents damaged(List<Event> events, Path file, int at, String what) {
    return new Contents(events, file + " has " + what + " at byte " + at, false);
  }

  /** The file ends before the record at {@code at} does (its length passed the length checksum, if it has one). */
  private static Contents torn(List<Event> events, Path file, int at, String what) {
    return new Contents(events, file + " has " + what + " at byte " + at, true);
  }
}
