package org.cifarresnet.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.cifarresnet.checkpoint.Checkpoint;
import org.cifarresnet.checkpoint.RunDirectory;
import org.cifarresnet.cli.Cli;
import org.cifarresnet.data.CifarReader;
import org.cifarresnet.data.TinyCifar;
import org.cifarresnet.train.MeanImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A Keras file written the way Keras writes it imports into a run whose model gives the file's logits. */
class KerasImportTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "whole model {0}, Keras 2.2 names {1}")
  @CsvSource({"true,false", "true,true", "false,false", "false,true"})
  void aKerasFileGivesTheLogitsOfItsWeights(boolean wholeModel, boolean keras22) throws Exception {
    var keras = new KerasFixture(11);
    UnaryOperator<String> names = keras22 ? KerasFixture::keras22 : UnaryOperator.identity();
    Path h5 = keras.write(dir.resolve("resnet8.h5"), wholeModel, names, List.of());
    float[] mean = new float[3072];
    Random rnd = new Random(5);
    for (int i = 0; i < mean.length; i++) mean[i] = 0.3f + 0.4f * rnd.nextFloat();
    Path npy = Fixtures.npy(dir.resolve("mean.npy"), new long[] {32, 32, 3}, mean);

    var r = Cli.run("import-keras", h5.toString(), "--out", dir.resolve("run").toString(), "--mean-image", npy.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("ResNet8 v1"), r.out());

    Fixtures.assertImportedLogits(dir.resolve("run"), keras, mean);
  }

  @Test
  void withDataTheMeanIsTheTrainingSetsAndTheRunEvaluatesAndResumes() throws Exception {
    Path h5 = new KerasFixture(3).write(dir.resolve("k.h5"), true, UnaryOperator.identity(), List.of());
    Path data = TinyCifar.writeArchive(dir.resolve("tiny.tar.gz"), 4, 10, 1);
    Path run = dir.resolve("run");
    var r = Cli.run("import-keras", h5.toString(), "--out", run.toString(), "--data", data.toString(), "--threads", "1");
    assertEquals(0, r.exit(), r.err());

    Checkpoint best = Checkpoint.load(new RunDirectory(run).best());
    assertArrayEquals(MeanImage.of(CifarReader.read(data).train()), best.arrays().get("input.mean_image").data());
    assertEquals(TinyCifar.CLASS_NAMES, best.info().dataset().classNames());
    assertTrue(Files.isRegularFile(new RunDirectory(run).config()));

    assertEquals(0, Cli.run("evaluate", run.toString(), "--threads", "1").exit());
    var resumed = Cli.run("resume", run.toString(), "--epochs", "1", "--threads", "1");
    assertEquals(0, resumed.exit(), resumed.err());
    assertEquals(1, Checkpoint.load(new RunDirectory(run).last()).info().state().epochsDone());
  }
}
