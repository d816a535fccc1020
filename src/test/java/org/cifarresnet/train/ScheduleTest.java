package org.cifarresnet.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.cifarresnet.config.OptimizerConfig.Schedule;
import org.cifarresnet.config.Presets;
import org.junit.jupiter.api.Test;

class ScheduleTest {
  private static double keras(double epoch) {
    return Schedule.KERAS_STEP.lr(1e-3, epoch, 200, 0);
  }

  @Test
  void theKerasStepScheduleDropsAfterEpochs80_120_160_180() {
    // 0-based epochs, as Keras' LearningRateScheduler passes them: the first drop is at the 82nd epoch.
    assertEquals(1e-3, keras(0), 1e-12);
    assertEquals(1e-3, keras(80.99), 1e-12, "constant within an epoch");
    assertEquals(1e-4, keras(81), 1e-12);
    assertEquals(1e-5, keras(121), 1e-12);
    assertEquals(1e-6, keras(161), 1e-12);
    assertEquals(5e-7, keras(181), 1e-12);
    assertEquals(1e-3, Schedule.CONSTANT.lr(1e-3, 190, 200, 0), 1e-12);
  }

  @Test
  void oneCycleRisesOverTheWarmUpThenFallsToZero() {
    assertEquals(0.05, Schedule.ONE_CYCLE.lr(0.1, 1, 18, 2), 1e-12);
    assertEquals(0.1, Schedule.ONE_CYCLE.lr(0.1, 2, 18, 2), 1e-12);
    assertEquals(0.05, Schedule.ONE_CYCLE.lr(0.1, 10, 18, 2), 1e-12);
    assertEquals(0.0, Schedule.ONE_CYCLE.lr(0.1, 18, 18, 2), 1e-12);
  }

  @Test
  void presetsAreNamedAndUnknownNamesFail() {
    assertEquals("seed", Presets.byName("seed").preset());
    assertEquals(50, Presets.seed().training().epochs());
    assertEquals(false, Presets.seed().data().augment());
    assertEquals(200, Presets.keras().training().epochs());
    assertEquals(128, Presets.fast().training().batchSize());
    assertThrows(IllegalArgumentException.class, () -> Presets.byName("nope"));
  }
}
