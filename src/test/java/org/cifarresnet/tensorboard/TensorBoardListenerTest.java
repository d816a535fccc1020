package org.cifarresnet.tensorboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cifarresnet.config.Presets;
import org.cifarresnet.train.TrainingListener.EpochEnd;
import org.cifarresnet.train.TrainingListener.TrainingStart;
import org.cifarresnet.train.TrainingState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whose failure: the event files failing to open or write is a warning and training goes on; anything
 * else the listener throws is a bug, and reaches the command rather than being taken for a full disk.
 */
class TensorBoardListenerTest {
  @TempDir Path dir;

  private static TrainingStart start() {
    return new TrainingStart(Presets.seed(), 1, 1, 40, 20, TrainingState.start());
  }

  @Test
  void eventFilesThatCannotBeWrittenAreAWarning() throws Exception {
    Path blocked = Files.writeString(dir.resolve("tensorboard"), "a file where the folder belongs");
    var err = new StringWriter();
    try (var listener = new TensorBoardListener(blocked, new PrintWriter(err, true))) {
      listener.onTrainingStart(start());
    }
    assertEquals(1, err.toString().strip().lines().count(), err.toString());
    assertTrue(err.toString().startsWith("warning: TensorBoard files in " + blocked + " not updated"), err.toString());
  }

  @Test
  void aBugIsNotTakenForAFailedWrite() {
    var err = new StringWriter();
    try (var listener = new TensorBoardListener(dir.resolve("tensorboard"), new PrintWriter(err, true))) {
      listener.onTrainingStart(start());
      // An epoch without its figures: our bug, not the disk's.
      assertThrows(NullPointerException.class, () -> listener.onEpochEnd(new EpochEnd(null, null, 1, TrainingState.start(), false)));
    }
    assertEquals("", err.toString());
  }
}
