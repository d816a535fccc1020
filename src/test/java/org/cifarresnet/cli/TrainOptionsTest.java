package org.cifarresnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.cifarresnet.config.Presets;
import org.cifarresnet.config.RunConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The fast preset's ablation knobs: each option changes its one setting and nothing else. */
class TrainOptionsTest {
  private static RunConfig parsed(String... args) {
    TrainCommand command = new TrainCommand();
    new CommandLine(command).parseArgs(args);
    return command.config();
  }

  @Test
  void labelSmoothingReplacesThePresetsShare() {
    RunConfig fast = Presets.fast();
    RunConfig changed = parsed("--preset", "fast", "--label-smoothing", "0.2");
    assertEquals(fast.model().withLabelSmoothing(0.2), changed.model());
    assertEquals(fast.optimizer(), changed.optimizer());
    assertEquals(0.0, parsed("--preset", "keras", "--label-smoothing", "0").model().labelSmoothing());
  }

  @Test
  void warmupEpochsMoveTheOneCyclePeak() {
    RunConfig changed = parsed("--preset", "fast", "--epochs", "30", "--warmup-epochs", "6");
    assertEquals(Presets.fast().model(), changed.model());
    assertEquals(6.0, changed.optimizer().warmupEpochs());
    assertEquals(30, changed.training().epochs());
    // the peak (the base rate) at epoch 6, half of it 12 epochs later on the way down to 0 at epoch 30
    assertEquals(0.1, changed.optimizer().lr(6, 30), 1e-12);
    assertEquals(0.05, changed.optimizer().lr(18, 30), 1e-12);
    assertEquals(0.05, changed.optimizer().lr(3, 30), 1e-12);
  }

  @Test
  void shiftChangesOnlyTheLargestShift() {
    RunConfig fast = Presets.fast();
    RunConfig changed = parsed("--preset", "fast", "--shift", "2");
    assertEquals(fast.data().withMaxShift(2), changed.data());
    assertEquals(2, changed.data().maxShift());
    assertEquals(fast.data().fill(), changed.data().fill());
    assertEquals(fast.model(), changed.model());
    assertEquals(fast.optimizer(), changed.optimizer());
    assertEquals(fast.training(), changed.training());
  }

  @Test
  void recordTtaChangesOnlyWhatIsRecorded() {
    RunConfig fast = Presets.fast();
    RunConfig changed = parsed("--preset", "fast", "--record-tta");
    assertEquals(fast.training().withRecordTta(true), changed.training());
    assertEquals(fast.model(), changed.model());
    assertEquals(fast.optimizer(), changed.optimizer());
    assertEquals(false, parsed("--preset", "fast").training().recordTta());
    RunConfig noEma = parsed("--preset", "fast", "--ema", "--record-no-ema");
    assertEquals(fast.training().withEma(0.999).withRecordNoEma(true), noEma.training());
  }
}
