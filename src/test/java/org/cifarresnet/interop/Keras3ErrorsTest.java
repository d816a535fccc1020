package org.cifarresnet.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.cifarresnet.cli.Cli;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and broken Keras 3 files: bombs, climbing entry names, missing members, wrong shapes, parts
 * that do not belong together. Each gets one line naming the problem, exit 1, and nothing is written:
 * no run directory, no temporary file beside it, no unpacked weights left in the temporary folder.
 */
class Keras3ErrorsTest {
  @TempDir Path dir;
  private Set<Path> tempBefore;

  @BeforeEach
  void noteTemporaryFiles() throws IOException {
    tempBefore = unpackedWeights();
  }

  @AfterEach
  void noUnpackedWeightsAreLeft() throws IOException {
    assertEquals(tempBefore, unpackedWeights(), "the unpacked weights are deleted");
  }

  private static Set<Path> unpackedWeights() throws IOException {
    try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return files.filter(f -> f.getFileName().toString().startsWith("cifar-resnet-keras3-")).collect(Collectors.toSet());
    }
  }

  private Path run() {
    return dir.resolve("run");
  }

  private void assertRefused(Path file, String... mentions) throws Exception {
    Path mean = Fixtures.npy(dir.resolve("mean.npy"), new long[] {32, 32, 3}, new float[3072]);
    // A guard against a hang (a zip bomb unpacked to the end, a loop), not a speed test: generous, so that
    // a busy machine cannot fail it.
    var r = assertTimeoutPreemptively(Duration.ofSeconds(120), () ->
        Cli.run("import-keras", file.toString(), "--out", run().toString(), "--mean-image", mean.toString()));
    Fixtures.assertRefusedCleanly(r, 1, run(), dir, mentions);
  }

  private Path archive(String name, Map<String, byte[]> members, boolean stored) {
    return Keras3Fixture.zip(dir.resolve(name), members, stored);
  }

  @Test
  void aZipBombIsStoppedAfterAFewMegabytes() throws Exception {
    Map<String, byte[]> members = new Keras3Fixture(1).members();
    members.put("model.weights.h5", new byte[300 << 20]); // 300 MB of zeros deflate to 300 KB
    Path bomb = archive("bomb.keras", members, false);
    assertTrue(Files.size(bomb) < 2 << 20);
    assertRefused(bomb, "model.weights.h5", "zip bomb");
  }

  @Test
  void aMemberLargerThanItsHeaderSaysIsStoppedWhileUnpacking() throws Exception {
    Map<String, byte[]> members = new Keras3Fixture(1).members();
    Path lying = archive("lying.keras", members, false);
    byte[] zip = Files.readAllBytes(lying);
    setDeclaredSize(zip, "model.weights.h5", 1000);
    assertRefused(Files.write(lying, zip), "model.weights.h5", "more than the 1000 bytes its header declares");

    setDeclaredSize(zip, "model.weights.h5", 0xFFFFFFF0L); // 4 GB: refused before a byte is unpacked
    assertRefused(Files.write(lying, zip), "model.weights.h5", "more than 1024 MB");
  }

  @Test
  void tooManyEntriesAreRefused() throws Exception {
    Map<String, byte[]> members = new Keras3Fixture(1).members();
    for (int i = 0; i < Keras3Archive.MAX_ENTRIES; i++) members.put("assets/" + i, new byte[0]);
    assertRefused(archive("many.keras", members, true), "more than 1000 entries");
  }

  @Test
  void entryNamesThatClimbOutAreRefusedAndNothingIsExtracted() throws Exception {
    for (String evil : List.of("../../evil.sh", "/tmp/evil.sh", "assets\\..\\..\\evil.sh", "C:/evil.sh")) {
      Map<String, byte[]> members = new Keras3Fixture(1).members();
      members.put(evil, "echo owned\n".getBytes(StandardCharsets.UTF_8));
      assertRefused(archive("evil.keras", members, true), "points outside the archive");
      assertFalse(Files.exists(dir.getParent().resolve("evil.sh")));
      assertFalse(Files.exists(dir.resolve("evil.sh")));
    }
  }

  @Test
  void aMemberTwiceIsRefused() throws Exception {
    Map<String, byte[]> members = new Keras3Fixture(1).members();
    members.put("config.jsoX", "{}".getBytes(StandardCharsets.UTF_8));
    Path twice = archive("twice.keras", members, true);
    byte[] zip = Files.readAllBytes(twice);
    replaceAll(zip, "config.jsoX", "config.json"); // ZipOutputStream refuses to write a name twice
    assertRefused(Files.write(twice, zip), "two entries named 'config.json'");
  }

  @Test
  void missingMembersAreNamed() throws Exception {
    Map<String, byte[]> members = new Keras3Fixture(1).members();
    members.remove("config.json");
    assertRefused(archive("noconfig.keras", members, true), "no config.json");

    members = new Keras3Fixture(1).members();
    members.remove("model.weights.h5");
    assertRefused(archive("noweights.keras", members, true), "no model.weights.h5");

    members.put("model.weights.npz", new byte[10]);
    assertRefused(archive("npz.keras", members, true), "model.weights.npz", "weights_format");
  }

  @Test
  void brokenMembersAreNamed() throws Exception {
    Map<String, byte[]> members = new Keras3Fixture(1).members();
    members.put("model.weights.h5", "not hdf5 at all".getBytes(StandardCharsets.UTF_8));
    assertRefused(archive("text.keras", members, true), "model.weights.h5 is not an HDF5 file");

    members = new Keras3Fixture(1).members();
    members.put("config.json", "{\"class_name\": \"Functional\", ".getBytes(StandardCharsets.UTF_8));
    assertRefused(archive("json.keras", members, true), "config.json is not JSON");

    members.put("config.json", "{\"class_name\": \"Sequential\", \"config\": {\"layers\": []}}".getBytes(StandardCharsets.UTF_8));
    assertRefused(archive("sequential.keras", members, true), "Sequential");

    byte[] whole = Files.readAllBytes(new Keras3Fixture(1).writeArchive(dir.resolve("whole.keras")));
    Path cut = Files.write(dir.resolve("cut.keras"), Arrays.copyOf(whole, whole.length / 2));
    assertRefused(cut, "cut.keras", "not a readable zip archive");
  }

  @Test
  void anotherNetworkNamesTheFirstLayerThatDiffersWithBothShapes() throws Exception {
    var fixture = new Keras3Fixture(1);
    fixture.keras.withKernel("conv2d_5", new long[] {3, 3, 16, 32}); // a 3x3 projection
    assertRefused(fixture.writeArchive(dir.resolve("other.keras")), "conv2d_5", "[3, 3, 16, 32]", "[1, 1, 16, 32]", "another network");
    assertRefused(fixture.writeWeights(dir.resolve("other.weights.h5")), "conv2d_5", "[3, 3, 16, 32]", "[1, 1, 16, 32]");
  }

  @Test
  void whatOnlyTheConfigShowsIsChecked() throws Exception {
    var fixture = new Keras3Fixture(1);
    Map<String, byte[]> members = fixture.members();
    String config = fixture.configJson();
    members.put("config.json", config.replaceFirst("\"strides\":\\[2,2\\]", "\"strides\":[1,1]").getBytes(StandardCharsets.UTF_8));
    assertRefused(archive("strides.keras", members, true), "conv2d_3", "strides [1, 1]", "[2, 2]", "another network");

    members.put("config.json", config.replaceFirst("\"activation\":\"relu\"", "\"activation\":\"tanh\"").getBytes(StandardCharsets.UTF_8));
    assertRefused(archive("tanh.keras", members, true), "tanh", "relu");

    members.put("config.json", config.replace("\"class_name\":\"Flatten\"", "\"class_name\":\"Dropout\"").getBytes(StandardCharsets.UTF_8));
    assertRefused(archive("dropout.keras", members, true), "Dropout", "another network");
  }

  @Test
  void configAndWeightsThatDoNotBelongTogether() throws Exception {
    var fixture = new Keras3Fixture(1);
    Map<String, byte[]> members = fixture.members();
    fixture.layerNames = name -> name + "_other";
    members.put("config.json", fixture.configJson().getBytes(StandardCharsets.UTF_8));
    assertRefused(archive("mixed.keras", members, true), "do not belong together");
  }

  @Test
  void aMissingLayerIsNamed() throws Exception {
    var fixture = new Keras3Fixture(1);
    fixture.omit = Set.of("conv2d_3");
    assertRefused(fixture.writeWeights(dir.resolve("gap.weights.h5")), "no layers/conv2d_3", "layers/conv2d_4");
    assertRefused(fixture.writeArchive(dir.resolve("gap.keras")), "conv2d_3", "incomplete");
  }

  /** Sets the uncompressed size in the central directory entry of {@code name} (Java reads sizes from there). */
  private static void setDeclaredSize(byte[] zip, String name, long size) {
    ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i + 46 + n.length <= zip.length; i++) {
      if (b.getInt(i) == 0x02014b50 && b.getShort(i + 28) == n.length
          && Arrays.equals(Arrays.copyOfRange(zip, i + 46, i + 46 + n.length), n)) {
        b.putInt(i + 24, (int) size);
        return;
      }
    }
    throw new AssertionError("no central directory entry " + name);
  }

  private static void replaceAll(byte[] data, String from, String to) {
    byte[] f = from.getBytes(StandardCharsets.UTF_8);
    byte[] t = to.getBytes(StandardCharsets.UTF_8);
    List<Integer> at = new ArrayList<>();
    for (int i = 0; i + f.length <= data.length; i++) {
      if (Arrays.equals(Arrays.copyOfRange(data, i, i + f.length), f)) at.add(i);
    }
    assertTrue(at.size() >= 2, "found in the local and the central header");
    for (int i : at) System.arraycopy(t, 0, data, i, t.length);
  }
}
