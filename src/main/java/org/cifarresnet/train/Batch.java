package org.cifarresnet.train;

import org.tensorflow.types.TInt32;
import org.tensorflow.types.TUint8;

/**
 * One training batch, already in native tensors: images uint8 [size, 32, 32, 3] and labels int32
 * [size]. Holds native memory: close it after the step.
 *
 * @param index 0-based batch number within its epoch
 * @param size images in the batch (the last batch of an epoch may be smaller)
 */
public record Batch(int index, int size, TUint8 images, TInt32 labels) implements AutoCloseable {
  @Override
  public void close() {
    images.close();
    labels.close();
  }
}
