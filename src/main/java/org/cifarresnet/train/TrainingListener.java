package org.cifarresnet.train;

import org.cifarresnet.config.RunConfig;
import org.cifarresnet.eval.Evaluation;

/**
 * Hooks into the fit loop. Everything optional about training (progress, logs, history, curves,
 * checkpoints) is a listener, so the loop itself stays short. Methods default to doing nothing.
 */
public interface TrainingListener {
  default void onTrainingStart(TrainingStart event) {}

  default void onEpochStart(EpochStart event) {}

  default void onBatchEnd(BatchEnd event) {}

  default void onEpochEnd(EpochEnd event) {}

  /** A stop was requested (Ctrl-C, SIGTERM): the state to save so that resume continues exactly. */
  default void onStop(TrainingState state) {}

  /**
   * @param config the run's settings
   * @param trainableParameters 273,066 for ResNet20
   * @param kerasParameters with batch-norm moving statistics, as Keras' summary counts them
   * @param trainImages training images per epoch
   * @param testImages test images evaluated after each epoch
   * @param state where training starts (not at the beginning when resuming)
   */
  record TrainingStart(
      RunConfig config, long trainableParameters, long kerasParameters, int trainImages, int testImages,
      TrainingState state) {}

  /**
   * @param epoch 1-based
   * @param epochs epochs in all
   * @param batches steps in this epoch
   * @param firstBatch 0, or where a resumed epoch picks up
   * @param lr learning rate for this epoch
   */
  record EpochStart(int epoch, int epochs, int batches, int firstBatch, double lr) {}

  /**
   * @param epoch 1-based
   * @param batches steps in this epoch
   * @param progress the epoch's running totals after this step
   */
  record BatchEnd(int epoch, int batches, EpochProgress progress) {}

  /**
   * @param stats the epoch's row of history
   * @param evaluation the test-set figures behind it
   * @param busyShare share of the training phase the engine spent in steps
   * @param state the state after the epoch
   * @param best whether this epoch has the best test accuracy so far
   */
  record EpochEnd(EpochStats stats, Evaluation evaluation, double busyShare, TrainingState state, boolean best) {}
}
