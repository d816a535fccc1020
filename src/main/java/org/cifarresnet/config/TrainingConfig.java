package org.cifarresnet.config;

import org.cifarresnet.util.RefusedValue;

/**
 * How long and how a run trains.
 *
 * @param epochs epochs to train in all
 * @param batchSize images per training step (Keras example: 32)
 * @param seed one seed for weights, data order and augmentation: the same seed gives the same run
 * @param precision fp32, or bf16 mixed precision where the processor has it
 */
public record TrainingConfig(int epochs, int batchSize, long seed, Precision precision) {
  public TrainingConfig {
    Check.positive("epochs", epochs);
    Check.range("batchSize", batchSize, 1, 65536);
    if (precision == null) throw new RefusedValue("precision is required");
  }

  public TrainingConfig withEpochs(int value) {
    return new TrainingConfig(value, batchSize, seed, precision);
  }

  public TrainingConfig withBatchSize(int value) {
    return new TrainingConfig(epochs, value, seed, precision);
  }

  public TrainingConfig withSeed(long value) {
    return new TrainingConfig(epochs, batchSize, value, precision);
  }

  public TrainingConfig withPrecision(Precision value) {
    return new TrainingConfig(epochs, batchSize, seed, value);
  }
}
