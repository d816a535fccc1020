package org.cifarresnet.train;

import java.util.List;
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

  public Trainer(
      CifarModel model, RunConfig config, Split train, Evaluator evaluator, List<TrainingListener> listeners, StopSignal stop) {
    this.model = model;
    this.config = config;
    this.train = train;
    this.evaluator = evaluator;
    this.listeners = List.copyOf(listeners);
    this.stop = stop;
  }

  /** Trains from {@code state} to the configured number of epochs and returns the final state. */
  public TrainingState fit(TrainingState state, int testImages) {
    int batchSize = config.training().batchSize();
    int batches = BatchPipeline.batchesPerEpoch(train.size(), batchSize);
    Augmenter augmenter = config.data().augment() ? new Augmenter(config.data().maxShift()) : null;
    var start = new TrainingListener.TrainingStart(
        config, model.trainableParameterCount(), model.kerasParameterCount(), train.size(), testImages, state);
    listeners.forEach(l -> l.onTrainingStart(start));

    for (int epoch = state.epochsDone(); epoch < config.training().epochs(); epoch++) {
      int epochs = config.training().epochs();
      double lr = config.optimizer().lr(epoch + (state.partial().batchesDone() + 0.5) / batches, epochs);
      EpochProgress progress = state.partial();
      var epochStart = new TrainingListener.EpochStart(epoch + 1, config.training().epochs(), batches, progress.batchesDone(), lr);
      listeners.forEach(l -> l.onEpochStart(epochStart));
      try (var pipeline = new BatchPipeline(train, batchSize, config.training().seed(), epoch, progress.batchesDone(), augmenter)) {
        long last = System.nanoTime();
        while (pipeline.hasNext()) {
          // A batch holds native tensors; closing it after the step frees them at once.
          try (Batch batch = pipeline.next()) {
            // The rate at the middle of the step: per-step schedules move within the epoch.
            lr = config.optimizer().lr(epoch + (batch.index() + 0.5) / batches, epochs);
            long stepBegan = System.nanoTime();
            CifarModel.StepResult result = model.trainStep(batch.images(), batch.labels(), (float) lr);
            long now = System.nanoTime();
            if (!Float.isFinite(result.loss())) {
              throw new UserError(
                  "training loss became " + result.loss() + " at epoch " + (epoch + 1) + ", step " + (batch.index() + 1)
                      + "; stopped, keeping the checkpoints saved so far; train again with a lower --lr");
            }
            progress = progress.plus(batch.size(), result.loss(), result.correct(), (now - last) / 1e9, (now - stepBegan) / 1e9);
            last = now;
          }
          var end = new TrainingListener.BatchEnd(epoch + 1, batches, progress);
          listeners.forEach(l -> l.onBatchEnd(end));
          if (stop.requested() && pipeline.hasNext()) throw stopped(state.withPartial(progress));
        }
      }
      long evaluationBegan = System.nanoTime();
      Evaluation evaluation = evaluator.evaluate(model);
      double seconds = progress.trainSeconds() + (System.nanoTime() - evaluationBegan) / 1e9;
      var stats = new EpochStats(
          epoch + 1, lr, progress.meanLoss(), progress.accuracy(), evaluation.loss(), evaluation.accuracy(),
          seconds, progress.imagesPerSecond());
      boolean best = state.improvesOnBest(stats);
      state = state.finish(stats);
      var end = new TrainingListener.EpochEnd(stats, evaluation, progress.busyShare(), state, best);
      listeners.forEach(l -> l.onEpochEnd(end));
      if (stop.requested() && epoch + 1 < config.training().epochs()) throw new TrainingStopped(state);
    }
    return state;
  }

  private TrainingStopped stopped(TrainingState state) {
    listeners.forEach(l -> l.onStop(state));
    return new TrainingStopped(state);
  }
}
