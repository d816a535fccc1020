package org.cifarresnet.config;

import org.cifarresnet.util.RefusedValue;

/**
 * Every setting of a training run; saved as {@code config.json} and in every checkpoint.
 *
 * @param preset the preset the run started from
 * @param model network settings
 * @param optimizer optimizer and schedule
 * @param data input and augmentation settings
 * @param training epochs, batch size, seed, precision
 */
public record RunConfig(
    String preset, ModelConfig model, OptimizerConfig optimizer, DataConfig data, TrainingConfig training) {
  public RunConfig {
    if (model == null || optimizer == null || data == null || training == null) {
      throw new RefusedValue("every part of a run's settings is required");
    }
  }

  public RunConfig with(ModelConfig m) {
    return new RunConfig(preset, m, optimizer, data, training);
  }

  public RunConfig with(OptimizerConfig o) {
    return new RunConfig(preset, model, o, data, training);
  }

  public RunConfig with(DataConfig d) {
    return new RunConfig(preset, model, optimizer, d, training);
  }

  public RunConfig with(TrainingConfig t) {
    return new RunConfig(preset, model, optimizer, data, t);
  }
}
