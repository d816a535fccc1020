package org.cifarresnet.testing;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** A missing tool skips a test on a developer's machine and fails it under CI, unless CI said it could not provide it. */
class NeededToolTest {
  @Test
  void anAvailableToolLetsTheTestRun() {
    assertDoesNotThrow(() -> NeededTool.require("chromium", true, "-", Map.of("CI", "true")));
  }

  @Test
  void aMissingToolSkipsOutsideCi() {
    var skip = assertThrows(TestAbortedException.class, () -> NeededTool.require("chromium", false, "apt-get it", Map.of()));
    assertTrue(skip.getMessage().contains("chromium missing: apt-get it"), skip.getMessage());
  }

  @Test
  void aMissingToolFailsUnderCi() {
    assertThrows(AssertionFailedError.class, () -> NeededTool.require("chattr", false, "-", Map.of("CI", "true")));
    assertThrows(AssertionFailedError.class,
        () -> NeededTool.require("chattr", false, "-", Map.of("CI", "true", NeededTool.CI_MISSING, "chromium mount")));
  }

  @Test
  void underCiAToolTheScriptCouldNotProvideSkips() {
    assertThrows(TestAbortedException.class,
        () -> NeededTool.require("mount", false, "-", Map.of("CI", "true", NeededTool.CI_MISSING, "chromium mount")));
  }
}
