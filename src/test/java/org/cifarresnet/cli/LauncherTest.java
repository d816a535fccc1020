package org.cifarresnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The commands we suggest name the launcher the user has: cifar-resnet.cmd on Windows. */
class LauncherTest {
  @AfterEach
  void clear() {
    System.clearProperty(Launcher.PROPERTY);
  }

  @Test
  void theUnixLauncherByDefaultAndTheWindowsOneWhenItSaysSo() {
    assertEquals("./cifar-resnet", Launcher.command());
    System.setProperty(Launcher.PROPERTY, "cifar-resnet.cmd");
    assertEquals("cifar-resnet.cmd", Launcher.command());
  }

  @Test
  void theWindowsLauncherSetsTheProperty() throws Exception {
    String cmd = Files.readString(Path.of("cifar-resnet.cmd"));
    assertTrue(cmd.contains("-D" + Launcher.PROPERTY + "=cifar-resnet.cmd"), "cifar-resnet.cmd passes the property");
  }
}
