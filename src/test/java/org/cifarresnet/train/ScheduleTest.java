package org.cifarresnet.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.cifarresnet.config.DataConfig;
import org.cifarresnet.config.OptimizerConfig;
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
  void thePaperScheduleDividesByTenAtHalfAndThreeQuartersOfTraining() {
    // 164 epochs of 391 steps: the drops land at iterations 32,062 and 48,093 (the paper's 32k and 48k).
    int steps = 391;
    double before = (32_061 + 0.5) / steps;
    double after = (32_062 + 0.5) / steps;
    assertEquals(0.1, Schedule.HALF_AND_THREE_QUARTERS.lr(0.1, before, 164, 0), 1e-12);
    assertEquals(0.01, Schedule.HALF_AND_THREE_QUARTERS.lr(0.1, after, 164, 0), 1e-12);
    assertEquals(0.01, Schedule.HALF_AND_THREE_QUARTERS.lr(0.1, (48_092 + 0.5) / steps, 164, 0), 1e-12);
    assertEquals(0.001, Schedule.HALF_AND_THREE_QUARTERS.lr(0.1, (48_093 + 0.5) / steps, 164, 0), 1e-12);
    assertEquals(0.001, Schedule.HALF_AND_THREE_QUARTERS.lr(0.1, 163.99, 164, 0), 1e-12);
  }

  @Test
  void thePaperPresetIsHeEtAlSection42() {
    var paper = Presets.byName("paper");
    assertEquals(OptimizerConfig.Algorithm.SGD_MOMENTUM, paper.optimizer().algorithm());
    assertEquals(0.1, paper.optimizer().lr(), 0);
    assertEquals(0.9, paper.optimizer().momentum(), 0);
    assertEquals(5e-5, paper.model().l2(), 0);
    assertEquals(128, paper.training().batchSize());
    assertEquals(164, paper.training().epochs());
    assertEquals(64_124, paper.training().epochs() * ((50_000 + 127) / 128), "about 64k iterations");
    assertEquals(DataConfig.Fill.ZERO, paper.data().fill());
    assertEquals(4, paper.data().maxShift());
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
