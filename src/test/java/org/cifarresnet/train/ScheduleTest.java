package org.cifarresnet.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.cifarresnet.config.OptimizerConfig.Schedule;
import org.junit.jupiter.api.Test;

class ScheduleTest {
  @Test
  void theKerasStepScheduleDropsAfterEpochs80_120_160_180() {
    // 0-based epochs, as Keras' LearningRateScheduler passes them: the first drop is at the 82nd epoch.
    assertEquals(1e-3, Schedule.KERAS_STEP.lr(1e-3, 0), 1e-12);
    assertEquals(1e-3, Schedule.KERAS_STEP.lr(1e-3, 80), 1e-12);
    assertEquals(1e-4, Schedule.KERAS_STEP.lr(1e-3, 81), 1e-12);
    assertEquals(1e-5, Schedule.KERAS_STEP.lr(1e-3, 121), 1e-12);
    assertEquals(1e-6, Schedule.KERAS_STEP.lr(1e-3, 161), 1e-12);
    assertEquals(5e-7, Schedule.KERAS_STEP.lr(1e-3, 181), 1e-12);
    assertEquals(1e-3, Schedule.CONSTANT.lr(1e-3, 190), 1e-12);
  }
}
