package org.cifarresnet.train;

/**
 * One finished epoch, as a row of {@code history.csv}.
 *
 * @param epoch 1-based epoch number
 * @param lr learning rate used during the epoch
 * @param loss mean training loss over the epoch (cross-entropy plus L2 term)
 * @param acc training accuracy over the epoch, a fraction from 0 to 1
 * @param valLoss test loss after the epoch (cross-entropy plus L2 term, as Keras reports val_loss)
 * @param valAcc test accuracy after the epoch, a fraction from 0 to 1: the single plain view, of the
 *     weight average when the run keeps one, so that runs stay comparable with published figures
 * @param seconds wall time of the epoch, training and evaluation
 * @param imagesPerSecond training images per second of wall time spent in the epoch's training phase
 * @param valAccTta the same weights' test accuracy with the plain and mirrored views averaged; null
 *     when the run does not record it ({@code train --record-tta})
 * @param valAccNoEma the test accuracy of the weights as trained, without the average; null when the
 *     run does not record it ({@code train --ema --record-no-ema})
 */
public record EpochStats(
    int epoch, double lr, double loss, double acc, double valLoss, double valAcc, double seconds, double imagesPerSecond,
    Double valAccTta, Double valAccNoEma) {

  /** A row without the optional evaluations. */
  public EpochStats(
      int epoch, double lr, double loss, double acc, double valLoss, double valAcc, double seconds, double imagesPerSecond) {
    this(epoch, lr, loss, acc, valLoss, valAcc, seconds, imagesPerSecond, null, null);
  }

  /** This row with the optional evaluations set; null leaves one out. */
  public EpochStats withExtras(Double tta, Double noEma) {
    return new EpochStats(epoch, lr, loss, acc, valLoss, valAcc, seconds, imagesPerSecond, tta, noEma);
  }
}
