package org.cifarresnet.train;

/**
 * One finished epoch, as a row of {@code history.csv}.
 *
 * @param epoch 1-based epoch number
 * @param lr learning rate used during the epoch
 * @param loss mean training loss over the epoch (cross-entropy plus L2 term)
 * @param acc training accuracy over the epoch, a fraction from 0 to 1
 * @param valLoss test loss after the epoch (cross-entropy plus L2 term, as Keras reports val_loss)
 * @param valAcc test accuracy after the epoch, a fraction from 0 to 1
 * @param seconds wall time of the epoch, training and evaluation
 * @param imagesPerSecond training images per second of wall time spent in the epoch's training phase
 */
public record EpochStats(
    int epoch, double lr, double loss, double acc, double valLoss, double valAcc, double seconds, double imagesPerSecond) {}
