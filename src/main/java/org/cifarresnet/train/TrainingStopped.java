package org.cifarresnet.train;

/** Thrown out of the fit loop after a requested stop, once the listeners have saved the state. */
public final class TrainingStopped extends RuntimeException {
  private final TrainingState state;

  public TrainingStopped(TrainingState state) {
    super("training stopped at epoch " + (state.epochsDone() + 1) + ", step " + state.partial().batchesDone());
    this.state = state;
  }

  public TrainingState state() {
    return state;
  }
}
