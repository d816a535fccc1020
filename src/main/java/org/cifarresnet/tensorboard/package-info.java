/**
 * TensorBoard event files for a training run, laid out as Keras' {@code TensorBoard} callback lays them
 * out ({@code RUN_DIR/tensorboard/train} and {@code .../validation}, scalars {@code epoch_loss},
 * {@code epoch_accuracy}, ...), so that a Keras run and ours sit side by side in one dashboard.
 *
 * <p>{@link org.cifarresnet.tensorboard.SummaryWriters} writes through TensorFlow's own summary writer (the
 * summary ops, in a small graph and session of their own), so the files are TensorBoard's format by
 * construction. {@link org.cifarresnet.tensorboard.EventFiles} reads them back, checking the TFRecord
 * framing's checksums; {@link org.cifarresnet.tensorboard.TensorBoardListener} is the training listener that
 * ties the two together and keeps a resumed run's curves free of gaps and of duplicate steps.
 */
package org.cifarresnet.tensorboard;
