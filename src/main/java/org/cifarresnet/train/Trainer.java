package org.cifarresnet.train;

import java.util.List;
import org.cifarresnet.config.Precision;
import org.cifarresnet.config.RunConfig;
import org.cifarresnet.data.Split;
import org.cifarresnet.eval.Evaluation;
import org.cifarresnet.eval.Evaluator;
import org.cifarresnet.model.CifarModel;
import org.cifarresnet.util.UserError;

/** The fit loop: epochs of shuffled, augmented batches, then a test-set evaluation. */
public final class Trainer {
  private final CifarModel model;
  private final RunConfig config;
  private final Split train;
  private final Evaluator evaluator;
  private final List<TrainingListener> listeners;
  private final StopSignal stop;
  private final Augmenter augmenter; // null: no augmentation

  public Trainer(
      CifarModel model, RunConfig config, Split train, Evaluator evaluator, List<TrainingListener> listeners, StopSignal stop) {
    this.model = model;
    this.config = config;
    this.train = train;
    this.evaluator = evaluator;
    this.listeners = List.copyOf(listeners);
    this.stop = stop;
    this.augmenter = config.data().augment() ? new Augmenter(config.data().maxShift(), config.data().fill()) : null;
  }

  /** Trains from {@code state} to the configured number of epochs and returns the final state. */
  public TrainingState fit(TrainingState state, int testImages) {
    var start = new TrainingListener.TrainingStart(
        config, model.trainableParameterCount(), model.kerasParameterCount(), train.size(), testImages, state);
    listeners.forEach(l -> l.onTrainingStart(start));
    int epochs = config.training().epochs();
    for (int epoch = state.epochsDone(); epoch < epochs; epoch++) {
      EpochProgress progress = trainEpoch(epoch, state);
      state = evaluateEpoch(epoch, state, progress);
      if (stop.requested() && epoch + 1 < epochs) throw new TrainingStopped(state); // saved at epoch end
    }
    return state;
  }

  /**
   * What to try after a NaN loss. In bf16 the precision comes first: on some CPUs its kernels go
   * wrong where fp32's do not (docs/reliability.md), and a lower rate would not help.
   */
  private String nanFix() {
    if (model.precision() == Precision.BF16) {
      return "it computed in bf16 mixed precision, which goes NaN on some CPUs: go on with --precision fp32 (train or resume)";
    }
    return "train again with a lower --lr";
  }

  /** The epoch's training steps, from where {@code state} left it; a requested stop saves and throws. */
  private EpochProgress trainEpoch(int epoch, TrainingState state) {
    int batches = batchesPerEpoch();
    EpochProgress progress = state.partial();
    var epochStart = new TrainingListener.EpochStart(
        epoch + 1, config.training().epochs(), batches, progress.batchesDone(), lr(epoch, progress.batchesDone()));
    listeners.forEach(l -> l.onEpochStart(epochStart));
    try (var pipeline = new BatchPipeline(
        train, config.training().batchSize(), config.training().seed(), epoch, progress.batchesDone(), augmenter)) {
      long last = System.nanoTime();
      while (pipeline.hasNext()) {
        // A batch holds native tensors; closing it after the step frees them at once.
        try (Batch batch = pipeline.next()) {
          long stepBegan = System.nanoTime();
          CifarModel.StepResult result = model.trainStep(batch.images(), batch.labels(), (float) lr(epoch, batch.index()));
          if (model.averaging()) {
            model.updateAverage(config.training().ema(), (long) epoch * batches + batch.index());
          }
          long now = System.nanoTime();
          if (!Float.isFinite(result.loss())) {
            throw new UserError(
                "training loss became " + result.loss() + " at epoch " + (epoch + 1) + ", step " + (batch.index() + 1)
                    + "; stopped, keeping the checkpoints saved so far; " + nanFix());
          }
          progress = progress.plus(batch.size(), result.loss(), result.correct(), (now - last) / 1e9, (now - stepBegan) / 1e9);
          last = now;
        }
        var end = new TrainingListener.BatchEnd(epoch + 1, batches, progress);
        listeners.forEach(l -> l.onBatchEnd(end));
        if (stop.requested() && pipeline.hasNext()) throw stopped(state.withPartial(progress));
      }
    }
    return progress;
  }

  /** Evaluates on the test set, records the epoch and tells the listeners (which save it). */
  private TrainingState evaluateEpoch(int epoch, TrainingState state, EpochProgress progress) {
    long began = System.nanoTime();
    boolean recordTta = config.training().recordTta();
    // With a weight average, the test set sees the average, and the best checkpoint keeps it.
    Evaluator.Views views = model.withAveragedWeights(
        () -> recordTta ? evaluator.evaluateBothViews(model) : new Evaluator.Views(evaluator.evaluate(model), null));
    Evaluation evaluation = views.plain();
    // The weights as trained, if asked: one run then shows what the average adds, epoch by epoch.
    Double noEma = config.training().recordNoEma() && model.averaging() ? evaluator.evaluate(model).accuracy() : null;
    double seconds = progress.trainSeconds() + (System.nanoTime() - began) / 1e9;
    var stats = new EpochStats(
        epoch + 1, lr(epoch, batchesPerEpoch() - 1), progress.meanLoss(), progress.accuracy(), evaluation.loss(),
        evaluation.accuracy(), seconds, progress.imagesPerSecond(),
        recordTta ? views.flipAveraged().accuracy() : null, noEma);
    boolean best = state.improvesOnBest(stats);
    TrainingState next = state.finish(stats);
    var end = new TrainingListener.EpochEnd(stats, evaluation, progress.busyShare(), next, best);
    listeners.forEach(l -> l.onEpochEnd(end));
    return next;
  }

  /** The rate for a step, taken at its middle: per-step schedules move within an epoch. */
  private double lr(int epoch, int batch) {
    return config.optimizer().lr(epoch + (batch + 0.5) / batchesPerEpoch(), config.training().epochs());
  }

  private int batchesPerEpoch() {
    return BatchPipeline.batchesPerEpoch(train.size(), config.training().batchSize());
  }

  private TrainingStopped stopped(TrainingState state) {
    listeners.forEach(l -> l.onStop(state));
    return new TrainingStopped(state);
  }
}
