package org.cifarresnet.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProvenanceTest {
  @TempDir Path dir;

  @Test
  void theCpuIsTheFirstModelNameOfCpuinfo() throws IOException {
    Path cpuinfo = Files.writeString(dir.resolve("cpuinfo"),
        "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 9B14\n\nprocessor\t: 1\nmodel name\t: AMD EPYC 9B14\n");
    assertEquals("AMD EPYC 9B14", Provenance.cpuName(cpuinfo));
  }

  @Test
  void withoutCpuinfoOrItsLineTheCpuIsUnknown() throws IOException {
    assertEquals("unknown", Provenance.cpuName(dir.resolve("absent")));
    assertEquals("unknown", Provenance.cpuName(Files.writeString(dir.resolve("arm"), "processor\t: 0\nBogoMIPS\t: 50\n")));
  }
}
