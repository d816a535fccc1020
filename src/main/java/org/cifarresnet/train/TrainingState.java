package org.cifarresnet.train;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a run stands: what a checkpoint needs besides the weights to continue exactly.
 *
 * @param epochsDone finished epochs; the epoch in progress is {@code epochsDone + 1} (1-based)
 * @param partial totals of the epoch in progress (NONE at an epoch boundary)
 * @param bestValAcc best test accuracy of a finished epoch so far (-1 before the first)
 * @param bestEpoch the 1-based epoch that reached it (0 before the first)
 * @param history one row per finished epoch
 */
public record TrainingState(int epochsDone, EpochProgress partial, double bestValAcc, int bestEpoch, List<EpochStats> history) {
  public TrainingState {
    history = List.copyOf(history);
  }

  public static TrainingState start() {
    return new TrainingState(0, EpochProgress.NONE, -1, 0, List.of());
  }

  public TrainingState withPartial(EpochProgress progress) {
    return new TrainingState(epochsDone, progress, bestValAcc, bestEpoch, history);
  }

  public boolean improvesOnBest(EpochStats stats) {
    return stats.valAcc() > bestValAcc;
  }

  /** The state after an epoch ends with these figures. */
  public TrainingState finish(EpochStats stats) {
    List<EpochStats> rows = new ArrayList<>(history);
    rows.add(stats);
    boolean best = improvesOnBest(stats);
    return new TrainingState(
        epochsDone + 1, EpochProgress.NONE, best ? stats.valAcc() : bestValAcc, best ? stats.epoch() : bestEpoch, rows);
  }
}
