package org.cifarresnet.train;

/**
 * Running totals of the epoch in progress; saved in a checkpoint so that a run interrupted
 * mid-epoch reports the same epoch figures as one that was not.
 *
 * @param batchesDone training steps finished in this epoch
 * @param lossSum sum over finished steps of the step's mean loss times its batch size
 * @param correct correctly classified training images so far
 * @param seen training images so far
 * @param trainSeconds wall time of the training phase so far
 * @param busySeconds part of it spent inside training steps (the engine's busy time)
 */
public record EpochProgress(int batchesDone, double lossSum, long correct, long seen, double trainSeconds, double busySeconds) {
  public static final EpochProgress NONE = new EpochProgress(0, 0, 0, 0, 0, 0);

  public EpochProgress plus(int batchSize, double stepLoss, int stepCorrect, double wallSeconds, double stepSeconds) {
    return new EpochProgress(
        batchesDone + 1, lossSum + stepLoss * batchSize, correct + stepCorrect, seen + batchSize,
        trainSeconds + wallSeconds, busySeconds + stepSeconds);
  }

  public double meanLoss() {
    return seen == 0 ? 0 : lossSum / seen;
  }

  public double accuracy() {
    return seen == 0 ? 0 : (double) correct / seen;
  }

  public double imagesPerSecond() {
    return trainSeconds == 0 ? 0 : seen / trainSeconds;
  }

  /** Share of the training phase's wall time the engine spent in steps: 1.0 means never starved. */
  public double busyShare() {
    return trainSeconds == 0 ? 0 : busySeconds / trainSeconds;
  }
}
