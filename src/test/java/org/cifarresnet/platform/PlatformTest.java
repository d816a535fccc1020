package org.cifarresnet.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlatformTest {
  @TempDir Path dir;

  @Test
  void eachJvmPlatformMapsToTheNativeBuildThePomChooses() {
    // The values real JVMs report: os.name as Java spells it, os.arch as HotSpot names it.
    assertEquals(Optional.of(Platform.LINUX_X86_64), Platform.of("Linux", "amd64"));
    assertEquals(Optional.of(Platform.LINUX_ARM64), Platform.of("Linux", "aarch64"));
    assertEquals(Optional.of(Platform.MACOSX_ARM64), Platform.of("Mac OS X", "aarch64"));
    assertEquals(Optional.of(Platform.WINDOWS_X86_64), Platform.of("Windows 11", "amd64"));
    assertEquals(Optional.of(Platform.WINDOWS_X86_64), Platform.of("Windows 10", "amd64"));
  }

  @Test
  void platformsTensorFlowDoesNotShipAreRefusedWithOneLineNamingTheSupportedOnes() {
    for (String[] p : List.of(new String[] {"Mac OS X", "x86_64"}, new String[] {"Linux", "x86"},
        new String[] {"Linux", "arm"}, new String[] {"Windows 10", "x86"}, new String[] {"Windows 11", "aarch64"},
        new String[] {"FreeBSD", "amd64"})) {
      assertEquals(Optional.empty(), Platform.of(p[0], p[1]), p[0] + " " + p[1]);
      String message = Platform.unsupported(p[0], p[1]);
      assertFalse(message.contains("\n"), message);
      assertTrue(message.contains(p[0] + " " + p[1]) && message.contains("macosx-arm64") && message.contains("windows-x86_64"),
          message);
    }
    assertTrue(Platform.unsupported("Mac OS X", "x86_64").contains("arm64 JDK"), "an Intel JDK on Apple silicon is the usual cause");
  }

  @Test
  void theNativeBuildIsFoundByTheFolderItsJarKeepsItsLibrariesIn() throws Exception {
    Path cpu = dir.resolve("cpu");
    Path gpu = dir.resolve("gpu");
    for (var e : List.of(List.of(cpu, "linux-x86_64"), List.of(gpu, "linux-x86_64-gpu"))) {
      Path license = ((Path) e.get(0)).resolve("org/tensorflow/internal/c_api/" + e.get(1) + "/LICENSE");
      Files.createDirectories(license.getParent());
      Files.writeString(license, "Apache 2.0");
    }
    try (var both = new URLClassLoader(new URL[] {cpu.toUri().toURL(), gpu.toUri().toURL()}, null);
        var one = new URLClassLoader(new URL[] {cpu.toUri().toURL()}, null);
        var none = new URLClassLoader(new URL[0], null)) {
      // Both on the class path: JavaCPP's loader tries the -gpu folder first, and so do we.
      assertEquals(List.of("linux-x86_64-gpu", "linux-x86_64"), Platform.nativeBuilds(both));
      assertEquals(List.of("linux-x86_64"), Platform.nativeBuilds(one));
      assertEquals(List.of(), Platform.nativeBuilds(none));
    }
  }

  @Test
  void thisBuildRunsTheCpuNativeBuildOfThisMachine() {
    Optional<Platform> here = Platform.of(System.getProperty("os.name"), System.getProperty("os.arch"));
    assumeTrue(here.isPresent(), "not a platform TensorFlow Java ships");
    assertEquals(here.get(), Platform.current());
    assumeTrue(!Platform.isGpuBuild(), "the GPU build (-Pgpu) is on the class path");
    assertEquals(here.get().classifier(), Platform.nativeBuild());
  }
}
