package org.cifarresnet.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.cifarresnet.cli.Cli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Keras 3 files written as Keras 3 writes them import into a run whose model gives the logits of the
 * file's weights, by the plain-Java forward pass of {@link KerasFixture}.
 */
class Keras3ImportTest {
  @TempDir Path dir;

  /** Numbers in the layer names run backwards: pairing by them, not by position, would mix every layer up. */
  private static final UnaryOperator<String> BACKWARDS = name -> {
    int u = name.lastIndexOf('_');
    boolean numbered = u > 0 && name.substring(u + 1).chars().allMatch(Character::isDigit);
    String base = numbered ? name.substring(0, u) : name;
    int n = numbered ? Integer.parseInt(name.substring(u + 1)) : 0;
    return base + "_" + (40 - n);
  };

  @ParameterizedTest(name = "names in groups {0} (Keras 3.6+), optimizer state {1}, names backwards {2}")
  @CsvSource({"true,false,false", "false,true,false", "true,true,true"})
  void aWeightsFileGivesTheLogitsOfItsWeights(boolean names, boolean optimizer, boolean backwards) throws Exception {
    var fixture = new Keras3Fixture(11);
    fixture.namesInGroups = names;
    fixture.optimizer = optimizer;
    if (backwards) fixture.layerNames = BACKWARDS;
    Path file = fixture.writeWeights(dir.resolve("resnet8.weights.h5"));
    var r = importWithMean(file);
    assertTrue(r.out().contains("ResNet8 v1") && r.out().contains("Keras 3"), r.out());
    assertLogits(fixture.keras);
  }

  @ParameterizedTest(name = "names backwards {0}")
  @CsvSource({"false", "true"})
  void anArchiveGivesTheLogitsOfItsWeightsPairedByItsConfig(boolean backwards) throws Exception {
    var fixture = new Keras3Fixture(12);
    fixture.optimizer = true;
    if (backwards) fixture.layerNames = BACKWARDS;
    Path file = fixture.writeArchive(dir.resolve("resnet8.keras"));
    var r = importWithMean(file);
    assertTrue(r.out().contains("ResNet8 v1") && r.out().contains("Keras 3.16.0"), r.out());
    assertLogits(fixture.keras);
  }

  @Test
  void aRecompressedArchiveImportsToo() throws Exception {
    var fixture = new Keras3Fixture(13);
    Path file = Keras3Fixture.zip(dir.resolve("deflated.keras"), fixture.members(), false);
    importWithMean(file);
    assertLogits(fixture.keras);
  }

  private float[] mean;

  private Cli.Outcome importWithMean(Path file) throws Exception {
    mean = new float[3072];
    Random rnd = new Random(5);
    for (int i = 0; i < mean.length; i++) mean[i] = 0.3f + 0.4f * rnd.nextFloat();
    Path npy = Fixtures.npy(dir.resolve("mean.npy"), new long[] {32, 32, 3}, mean);
    var r = Cli.run("import-keras", file.toString(), "--out", dir.resolve("run").toString(), "--mean-image", npy.toString());
    assertEquals(0, r.exit(), r.err());
    return r;
  }

  /** The run's log-probabilities are the fixture's logits up to a constant per image. */
  private void assertLogits(KerasFixture keras) {
    Fixtures.assertImportedLogits(dir.resolve("run"), keras, mean);
  }
}
