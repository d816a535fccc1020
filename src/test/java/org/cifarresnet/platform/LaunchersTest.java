package org.cifarresnet.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launchers' refusals, before any build: ./cifar-resnet run with a stand-in {@code uname} that
 * claims another system (bash is all it needs), and the line endings each launcher needs in a clone.
 * cifar-resnet.cmd itself needs Windows to run.
 */
class LaunchersTest {
  static final Path LAUNCHER = Path.of("cifar-resnet").toAbsolutePath();

  @TempDir Path dir;

  record Run(int exit, String err) {}

  /** Runs ./cifar-resnet --version where uname reports {@code system} and {@code machine}. */
  private Run launch(String system, String machine, Map<String, String> env) throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "needs bash");
    Path fakeBin = dir.resolve("bin");
    Files.createDirectories(fakeBin);
    Path uname = fakeBin.resolve("uname");
    Files.writeString(uname, "#!/bin/sh\ncase \"$1\" in -s) echo '" + system + "' ;; -m) echo '" + machine + "' ;; esac\n");
    Files.setPosixFilePermissions(uname, PosixFilePermissions.fromString("rwxr-xr-x"));
    var pb = new ProcessBuilder("/bin/bash", LAUNCHER.toString(), "--version").redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("PATH", fakeBin + ":" + System.getenv("PATH"));
    pb.environment().putAll(env);
    Process p = pb.start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the launcher returned");
    return new Run(p.exitValue(), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  private static void assertOneLineError(Run r, String... mentions) {
    assertEquals(1, r.exit(), r.err());
    assertEquals(1, r.err().strip().split("\n").length, r.err());
    assertTrue(r.err().startsWith("error: "), r.err());
    for (String m : mentions) assertTrue(r.err().contains(m), m + " in " + r.err());
  }

  @Test
  void anIntelMacIsRefusedWithTheSupportedPlatforms() throws Exception {
    assertOneLineError(launch("Darwin", "x86_64", Map.of()), "macOS on Intel", "macosx-arm64", "windows-x86_64");
  }

  @Test
  void a32BitOrUnknownSystemIsRefused() throws Exception {
    assertOneLineError(launch("Linux", "armv7l", Map.of()), "no native build for Linux armv7l", "linux-arm64");
    assertOneLineError(launch("FreeBSD", "amd64", Map.of()), "no native build for FreeBSD amd64");
  }

  @Test
  void gitBashOnWindowsIsSentToTheCmdLauncher() throws Exception {
    assertOneLineError(launch("MINGW64_NT-10.0-19045", "x86_64", Map.of()), "cifar-resnet.cmd");
  }

  @Test
  void theGpuBuildIsRefusedOffLinuxX86() throws Exception {
    assertOneLineError(launch("Darwin", "arm64", Map.of("CIFAR_RESNET_GPU", "1")), "GPU build is for Linux on x86-64");
    assertOneLineError(launch("Linux", "aarch64", Map.of("CIFAR_RESNET_GPU", "1")), "WSL2");
  }

  @Test
  void scriptsKeepLfAndTheCmdLaunchersCrlfInAClone() throws Exception {
    // .gitattributes fixes these whatever core.autocrlf says: bash fails on CR, cmd.exe wants CRLF.
    for (String script : List.of("cifar-resnet", "mvnw", "tools/check-platforms.sh", "bench/gpu-check.sh")) {
      assertFalse(Files.readString(Path.of(script)).contains("\r"), script + " has CR characters");
    }
    for (String cmd : List.of("cifar-resnet.cmd", "mvnw.cmd")) {
      String text = Files.readString(Path.of(cmd));
      assertEquals(text.split("\n").length, text.split("\r\n").length, cmd + ": every line ends in CRLF");
    }
  }
}
