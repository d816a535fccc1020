package org.cifarresnet.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.cifarresnet.util.RefusedValue;

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
  /**
   * Checks what resume and the history rely on, since a state is also read from checkpoint.json: one
   * row per finished epoch, numbered 1, 2, ... in order.
   */
  public TrainingState {
    if (epochsDone < 0 || partial == null || history == null || history.stream().anyMatch(Objects::isNull)) {
      throw new RefusedValue("a training state needs epochsDone >= 0, the epoch in progress and the history");
    }
    if (history.size() != epochsDone) {
      throw new RefusedValue("the history has " + history.size() + " rows for " + epochsDone + " finished epochs");
    }
    for (int i = 0; i < history.size(); i++) {
      if (history.get(i).epoch() != i + 1) {
        throw new RefusedValue("history row " + (i + 1) + " is for epoch " + history.get(i).epoch());
      }
    }
    if (bestEpoch < 0 || bestEpoch > epochsDone) {
      throw new RefusedValue("best epoch " + bestEpoch + " is not one of the " + epochsDone + " finished epochs");
    }
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
