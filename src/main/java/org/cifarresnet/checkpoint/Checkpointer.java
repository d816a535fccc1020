package org.cifarresnet.checkpoint;

import java.util.function.BiFunction;
import org.cifarresnet.model.CifarModel;
import org.cifarresnet.train.TrainingListener;
import org.cifarresnet.train.TrainingState;

/**
 * Saves a run's checkpoints: {@code last} (everything, to resume) after every epoch and on a
 * requested stop, {@code best} (the model alone) whenever the test accuracy is the best so far, as
 * the Keras example's {@code ModelCheckpoint(monitor='val_acc', save_best_only=True)} does.
 */
public final class Checkpointer implements TrainingListener {
  private final CifarModel model;
  private final RunDirectory run;
  private final BiFunction<String, TrainingState, CheckpointInfo> info;

  /** @param info makes the checkpoint's description from its kind ("last", "best") and the state */
  public Checkpointer(CifarModel model, RunDirectory run, BiFunction<String, TrainingState, CheckpointInfo> info) {
    this.model = model;
    this.run = run;
    this.info = info;
  }

  @Override
  public void onEpochEnd(EpochEnd e) {
    if (e.best()) Checkpoint.save(run.best(), model, info.apply("best", e.state()), false);
    Checkpoint.save(run.last(), model, info.apply("last", e.state()), true);
  }

  @Override
  public void onStop(TrainingState state) {
    Checkpoint.save(run.last(), model, info.apply("last", state), true);
  }
}
