package org.cifarresnet.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cifarresnet.checkpoint.Checkpoint;
import org.cifarresnet.checkpoint.CheckpointInfo;
import org.cifarresnet.checkpoint.RunDirectory;
import org.cifarresnet.checkpoint.SettingsJson;
import org.cifarresnet.train.EpochProgress;
import org.cifarresnet.train.EpochStats;
import org.cifarresnet.train.TrainingListener;
import org.cifarresnet.train.TrainingState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files a run writes are the same bytes on Windows: LF line ends in CSV and JSON whatever the
 * platform's separator, Windows paths kept exactly in JSON, and a history.csv that a spreadsheet
 * holds open costs a warning, not the run.
 */
class WindowsOutputsTest {
  static final List<EpochStats> HISTORY = List.of(
      new EpochStats(1, 0.001, 1.5, 0.45, 1.25, 0.5, 12.5, 4000),
      new EpochStats(2, 0.001, 1.0, 0.62, 1.0, 0.6, 12.25, 4100));

  @TempDir Path dir;

  @Test
  void historyCsvHasLfLineEndsOnAWindowsPathAndReadsBackEvenWithCrlf() throws Exception {
    try (FileSystem windows = Jimfs.newFileSystem(Configuration.windows())) {
      Path csv = windows.getPath("C:\\runs\\r1\\history.csv");
      HistoryCsv.write(csv, HISTORY);
      String text = Files.readString(csv);
      assertFalse(text.contains("\r"), "no CR: " + text);
      assertEquals(HISTORY, HistoryCsv.read(csv));
      // The same file after an editor or a git checkout with autocrlf turned its line ends to CRLF.
      Files.writeString(csv, text.replace("\n", "\r\n"));
      assertEquals(HISTORY, HistoryCsv.read(csv));
    }
  }

  @Test
  void windowsPathsSurviveTheJsonOfConfigAndCheckpointsAndItsLinesEndInLf() {
    var dataset = new CheckpointInfo.DatasetInfo("C:\\Users\\ann\\.cache\\cifar-resnet\\cifar-10-binary.tar.gz", "ab12",
        List.of("airplane"), 50000, 10000);
    String json = SettingsJson.GSON.toJson(dataset);
    assertTrue(json.contains("\"C:\\\\Users\\\\ann\\\\.cache"), json);
    assertFalse(json.contains("\r"), json);
    assertEquals(dataset, SettingsJson.GSON.fromJson(json, CheckpointInfo.DatasetInfo.class));
    assertEquals("cifar-10-binary.tar.gz",
        Jimfs.newFileSystem(Configuration.windows()).getPath(dataset.source()).getFileName().toString());
  }

  @Test
  void aHistoryFileThatCannotBeReplacedIsAWarningOnceAndTrainingGoesOn() throws Exception {
    RunDirectory run = new RunDirectory(dir.resolve("run"));
    // A folder where history.csv belongs cannot be renamed over: it stands in for a file held open.
    Files.createDirectories(run.history().resolve("held"));
    var err = new StringWriter();
    var recorder = new HistoryRecorder(run, new PrintWriter(err, true));
    var state = new TrainingState(2, EpochProgress.NONE, 0.6, 2, HISTORY);
    for (int i = 0; i < 3; i++) recorder.onEpochEnd(new TrainingListener.EpochEnd(HISTORY.get(1), null, 1.0, state, true));
    String warnings = err.toString();
    assertEquals(1, warnings.strip().split("\n").length, warnings);
    assertTrue(warnings.startsWith("warning: cannot write " + run.history()), warnings);
    assertTrue(warnings.contains("training goes on"), warnings);
  }
}
