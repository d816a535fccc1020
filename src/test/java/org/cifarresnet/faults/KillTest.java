package org.cifarresnet.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A few real signals for the suite, one of each kind of moment; {@code faults/kill-test.sh} runs the
 * same campaign with twenty or more. Each test starts several JVMs: about a minute under load.
 */
class KillTest {
  @TempDir Path dir;

  @Test
  void killNineLosesAtMostTheEpochInProgress() throws Exception {
    KillCampaign.Result r = new KillCampaign(dir, 7, System.out).killRuns(3);
    System.out.println(r.summary("kills"));
    assertEquals(List.of(), r.problems);
    assertEquals(3, r.kills);
  }

  @Test
  void sigtermSavesTheStepAndResumeEndsLikeAnUninterruptedRun() throws Exception {
    KillCampaign.Result r = new KillCampaign(dir, 5, System.out).termRuns(2);
    System.out.println(r.summary("SIGTERMs"));
    assertEquals(List.of(), r.problems);
    assertEquals(2, r.kills);
  }
}
