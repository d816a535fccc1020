package org.cifarresnet.tensorboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;

/**
 * TensorFlow's writer and our reader agree: what {@link SummaryWriters} writes through the summary ops reads
 * back with both checksums of every record matching, and damage is found and located.
 */
class EventFilesTest {
  @TempDir Path dir;

  /** Writes three scalars to train/ and one to validation/ and returns the train file. */
  private Path writeSmallFile() throws Exception {
    try (var writers = new SummaryWriters(dir, List.of("train", "validation"))) {
      writers.scalar("train", "epoch_loss", 0, 2.5);
      writers.scalar("train", "epoch_loss", 1, 1.25);
      writers.scalar("train", "epoch_learning_rate", 1, 1e-3);
      writers.scalar("validation", "epoch_accuracy", 0, 0.75);
    }
    List<Path> files = EventFiles.in(dir.resolve("train"));
    assertEquals(1, files.size(), "one event file per folder: " + files);
    assertTrue(files.get(0).getFileName().toString().startsWith("events.out.tfevents."), files.toString());
    assertTrue(files.get(0).getFileName().toString().endsWith(".v2"), files.toString());
    return files.get(0);
  }

  @Test
  void whatTensorFlowWritesReadsBackWithValidChecksums() throws Exception {
    Path file = writeSmallFile();
    EventFiles.Contents contents = EventFiles.read(file);
    assertNull(contents.damage());
    List<Event> events = contents.events();
    assertEquals("brain.Event:2", events.get(0).getFileVersion(), "TensorFlow's first record names the format");
    List<Event> scalars = events.stream().filter(Event::hasSummary).toList();
    assertEquals(3, scalars.size());
    assertScalar(scalars.get(0), "epoch_loss", 0, 2.5f);
    assertScalar(scalars.get(1), "epoch_loss", 1, 1.25f);
    assertScalar(scalars.get(2), "epoch_learning_rate", 1, 1e-3f);

    var validation = EventFiles.read(EventFiles.in(dir.resolve("validation")).get(0));
    assertNull(validation.damage());
    assertScalar(validation.events().stream().filter(Event::hasSummary).findFirst().orElseThrow(), "epoch_accuracy", 0, 0.75f);
  }

  @Test
  void aDamagedRecordEndsTheReadingAndIsLocated() throws Exception {
    Path file = writeSmallFile();
    byte[] clean = Files.readAllBytes(file);
    int events = EventFiles.read(file).events().size();
    int lastRecord = lastRecordOffset(clean);

    byte[] flippedData = clean.clone();
    flippedData[lastRecord + 12] ^= 0x01; // first data byte of the last record
    Files.write(file, flippedData);
    var read = EventFiles.read(file);
    assertEquals(events - 1, read.events().size(), "the records before the damage still count");
    assertEquals(file + " has a data checksum mismatch at byte " + lastRecord, read.damage());
    assertFalse(read.truncated(), "a checksum mismatch is damage, not a torn end");

    byte[] flippedLength = clean.clone();
    flippedLength[lastRecord] ^= 0x01;
    Files.write(file, flippedLength);
    assertEquals(file + " has a length checksum mismatch at byte " + lastRecord, EventFiles.read(file).damage());

    Files.write(file, Arrays.copyOf(clean, clean.length - 3)); // a kill while TensorFlow was writing
    read = EventFiles.read(file);
    assertEquals(events - 1, read.events().size());
    assertTrue(read.damage().contains("a torn record of"), read.damage());
    assertTrue(read.truncated(), "what a kill during a write leaves");

    Files.write(file, Arrays.copyOf(clean, lastRecord + 5));
    assertEquals(file + " has a torn record header at byte " + lastRecord, EventFiles.read(file).damage());
  }

  @Test
  void onlyEventFilesAreListedOldestFirst() throws Exception {
    Files.writeString(dir.resolve("notes.txt"), "not an event file");
    Files.write(dir.resolve("events.out.tfevents.0000000002.host.1.0.v2"), new byte[0]);
    Files.write(dir.resolve("events.out.tfevents.0000000001.host.1.0.v2"), new byte[0]);
    assertEquals(List.of(dir.resolve("events.out.tfevents.0000000001.host.1.0.v2"),
        dir.resolve("events.out.tfevents.0000000002.host.1.0.v2")), EventFiles.in(dir));
    assertEquals(List.of(), EventFiles.in(dir.resolve("absent")));
    assertEquals(new EventFiles.Contents(List.of(), null, false), EventFiles.read(dir.resolve("events.out.tfevents.0000000001.host.1.0.v2")),
        "an empty file (a writer that never flushed) holds no events and no damage");
  }

  private static void assertScalar(Event event, String tag, long step, float value) {
    assertEquals(step, event.getStep());
    Summary.Value v = event.getSummary().getValue(0);
    assertEquals(tag, v.getTag());
    assertEquals(value, v.getSimpleValue());
  }

  /** Walks the TFRecord lengths (uint64 little-endian, then 4 + data + 4 bytes) to the last record. */
  private static int lastRecordOffset(byte[] file) {
    var in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    int at = 0;
    int last = 0;
    while (at < file.length) {
      last = at;
      at += 12 + (int) in.getLong(at) + 4;
    }
    return last;
  }
}
