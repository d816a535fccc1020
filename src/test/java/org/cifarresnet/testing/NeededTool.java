package org.cifarresnet.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;

/**
 * A test's need for something outside Java: a program (chromium, chattr) or a right (mounting a
 * tmpfs). Where it is missing the test is skipped, saying why, so that a developer's machine without
 * it still runs the rest. Under CI ({@code CI=true}) a skip would hide a test that never ran, so it
 * fails instead, unless {@code .ci/run} tried to provide the tool and could not: it names those in
 * {@code CIFAR_RESNET_CI_MISSING} (space-separated), and lists every skipped test in the log.
 */
public final class NeededTool {
  /** The environment variable in which .ci/run names the tools it could not provide. */
  public static final String CI_MISSING = "CIFAR_RESNET_CI_MISSING";

  private NeededTool() {}

  /**
   * Returns if {@code available}; otherwise skips the test, or fails it under CI as above.
   *
   * @param tool the tool's name, as .ci/run names it: chromium, chattr, mount
   * @param why what is missing and how to get it, for the skip's message
   */
  public static void require(String tool, boolean available, String why) {
    require(tool, available, why, System.getenv());
  }

  static void require(String tool, boolean available, String why, Map<String, String> env) {
    if (available) return;
    String missing = env.get(CI_MISSING);
    Set<String> couldNotProvide = missing == null ? Set.of()
        : Arrays.stream(missing.trim().split("\\s+")).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    if ("true".equals(env.get("CI")) && !couldNotProvide.contains(tool)) {
      fail(tool + " is missing under CI, and .ci/run did not report failing to provide it: " + why);
    }
    Assumptions.abort("skipped, " + tool + " missing: " + why);
  }
}
