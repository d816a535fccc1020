package org.cifarresnet.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The suite's short fuzz run: a thousand seeded mutations per reader (about 2 to 4 s each), and every
 * input in the regression corpus {@code src/test/resources/fuzz/<target>/}, which holds each input
 * that once broke a reader; a reader without any fails, since the replay would then test nothing. {@code faults/fuzz.sh} runs many more, and Jazzer's coverage-guided fuzzer.
 * {@code -Dfuzz.inputs=N -Dfuzz.seed=S} change the run; failing inputs land in
 * {@code target/fuzz-findings/<target>/}.
 */
class MutationFuzzTest {
  private static final int INPUTS = Integer.getInteger("fuzz.inputs", 1000);
  private static final long SEED = Long.getLong("fuzz.seed", 1);
  /**
   * Only a hang fails here, not a slow input: a busy machine must not fail the suite. The campaign
   * ({@code faults/fuzz.sh}) holds every input to {@link MutationFuzzer#CAMPAIGN_LIMIT_SECONDS}.
   */
  private static final double HANG_SECONDS = 120;

  private final MutationFuzzer fuzzer = new MutationFuzzer(Path.of("target", "fuzz-findings"), HANG_SECONDS);

  @ParameterizedTest
  @EnumSource(FuzzTargets.class)
  void mutatedInputsGetTheOneLineErrorAndNothingElse(FuzzTargets target) {
    MutationFuzzer.Report r = fuzzer.fuzz(target, INPUTS, SEED);
    System.out.println(r.summary(target));
    assertEquals(List.of(), r.findings());
  }

  @ParameterizedTest
  @EnumSource(FuzzTargets.class)
  void theRegressionCorpusStaysFixed(FuzzTargets target) throws IOException, URISyntaxException {
    List<byte[]> inputs = corpus(target);
    // A missing or empty corpus would pass without testing anything: a moved folder, a bad copy.
    assertFalse(inputs.isEmpty(), "no regression inputs in src/test/resources/fuzz/" + target.corpus);
    MutationFuzzer.Report r = fuzzer.run(target, inputs);
    System.out.println(r.summary(target) + " (regression corpus)");
    assertEquals(List.of(), r.findings());
  }

  static List<byte[]> corpus(FuzzTargets target) throws IOException, URISyntaxException {
    URL dir = MutationFuzzTest.class.getResource("/fuzz/" + target.corpus);
    List<byte[]> inputs = new ArrayList<>();
    if (dir == null) return inputs;
    try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
      for (Path f : files.sorted().toList()) {
        if (!f.getFileName().toString().endsWith(".md")) inputs.add(Files.readAllBytes(f));
      }
    }
    return inputs;
  }
}
