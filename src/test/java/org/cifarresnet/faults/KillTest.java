package org.cifarresnet.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A few real signals for the suite; {@code faults/kill-test.sh} runs the same campaign with twenty or
 * more. The kills must have landed where the damage would be: inside a checkpoint's write and inside
 * another file's, with the resumes after them checked; otherwise the test proved nothing. Each test
 * starts several JVMs: about a minute under load.
 */
class KillTest {
  @TempDir Path dir;

  @Test
  void killNineLosesAtMostTheEpochInProgress() throws Exception {
    KillCampaign.Result r = new KillCampaign(dir, 7, System.out).killRuns(3);
    System.out.println(r.summary("kills"));
    assertEquals(List.of(), r.problems);
    assertEquals(3, r.kills);
    assertTrue(r.duringCheckpointWrite >= 1, "no kill landed inside a checkpoint write: " + r.summary("kills"));
    assertTrue(r.duringOtherWrite >= 1, "no kill landed inside another file's write: " + r.summary("kills"));
    assertTrue(r.resumesChecked >= 1, "no resume was checked: " + r.summary("kills"));
    assertTrue(r.runsCompleted >= 1, "no run was finished and checked whole: " + r.summary("kills"));
  }

  @Test
  void aRunKilledBeforeItsFirstCheckpointIsResumedFromTheStart() throws Exception {
    KillCampaign.Result r = new KillCampaign(dir, 3, System.out).killBeforeTheFirstCheckpoint();
    System.out.println(r.summary("kills"));
    assertEquals(List.of(), r.problems);
    assertEquals(1, r.startOversChecked, r.summary("kills"));
    assertEquals(1, r.runsCompleted, r.summary("kills"));
  }

  @Test
  void sigtermSavesTheStepAndResumeEndsLikeAnUninterruptedRun() throws Exception {
    KillCampaign.Result r = new KillCampaign(dir, 5, System.out).termRuns(2);
    System.out.println(r.summary("SIGTERMs"));
    assertEquals(List.of(), r.problems);
    assertEquals(2, r.kills);
    assertTrue(r.resumesChecked >= 1, "no resume was checked: " + r.summary("SIGTERMs"));
  }
}
