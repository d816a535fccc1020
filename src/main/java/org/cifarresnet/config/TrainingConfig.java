package org.cifarresnet.config;

import org.cifarresnet.util.RefusedValue;

/**
 * How long and how a run trains.
 *
 * @param epochs epochs to train in all
 * @param batchSize images per training step (Keras example: 32)
 * @param seed one seed for weights, data order and augmentation: the same seed gives the same run
 * @param precision fp32, or bf16 mixed precision where the processor has it
 * @param ema decay of an exponential moving average of the weights, which is then what the test
 *     set sees and the best checkpoint keeps (e.g. 0.999: about the last 1,000 steps); 0: none
 * @param logEvery also log the training loss to TensorBoard every this many steps (0: once per epoch, Keras'
 *     {@code update_freq='epoch'}); a run setting so that resume keeps it
 * @param recordTta also record each epoch's test accuracy with the plain and mirrored views averaged
 *     (history column {@code val_acc_tta}); the plain view stays what {@code val_acc} and the best
 *     checkpoint go by. One more pass over the test set per epoch.
 * @param recordNoEma with a weight average, also record each epoch's test accuracy of the weights as
 *     trained (history column {@code val_acc_no_ema}): what the average adds. One more pass per epoch.
 */
public record TrainingConfig(
    int epochs, int batchSize, long seed, Precision precision, double ema, int logEvery, boolean recordTta,
    boolean recordNoEma) {
  public TrainingConfig {
    Check.positive("epochs", epochs);
    Check.range("batchSize", batchSize, 1, 65536);
    if (precision == null) throw new RefusedValue("precision is required");
    Check.range("ema", ema, 0, 0.99999); // absent from config.json files written before it: 0
    Check.range("logEvery", logEvery, 0, Integer.MAX_VALUE); // likewise
    if (recordNoEma && ema == 0) {
      throw new RefusedValue("recording the accuracy without the weight average needs one (--ema)");
    }
  }

  /** Without a moving average of the weights, logging to TensorBoard once per epoch. */
  public TrainingConfig(int epochs, int batchSize, long seed, Precision precision) {
    this(epochs, batchSize, seed, precision, 0, 0, false, false);
  }

  public TrainingConfig withEpochs(int value) {
    return new TrainingConfig(value, batchSize, seed, precision, ema, logEvery, recordTta, recordNoEma);
  }

  public TrainingConfig withBatchSize(int value) {
    return new TrainingConfig(epochs, value, seed, precision, ema, logEvery, recordTta, recordNoEma);
  }

  public TrainingConfig withSeed(long value) {
    return new TrainingConfig(epochs, batchSize, value, precision, ema, logEvery, recordTta, recordNoEma);
  }

  public TrainingConfig withPrecision(Precision value) {
    return new TrainingConfig(epochs, batchSize, seed, value, ema, logEvery, recordTta, recordNoEma);
  }

  public TrainingConfig withEma(double value) {
    return new TrainingConfig(epochs, batchSize, seed, precision, value, logEvery, recordTta, recordNoEma);
  }

  public TrainingConfig withLogEvery(int value) {
    return new TrainingConfig(epochs, batchSize, seed, precision, ema, value, recordTta, recordNoEma);
  }

  public TrainingConfig withRecordTta(boolean value) {
    return new TrainingConfig(epochs, batchSize, seed, precision, ema, logEvery, value, recordNoEma);
  }

  public TrainingConfig withRecordNoEma(boolean value) {
    return new TrainingConfig(epochs, batchSize, seed, precision, ema, logEvery, recordTta, value);
  }
}
