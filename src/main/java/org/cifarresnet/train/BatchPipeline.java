package org.cifarresnet.train;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.cifarresnet.data.Split;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TUint8;

/**
 * The batches of one epoch, made on a background thread while the engine runs the step before:
 * shuffled by {@link EpochOrder}, augmented, copied into native tensors. The queue holds a few
 * batches so that the engine never waits on input (the original Keras run starved its GPU here).
 * Pixels stay uint8 until the graph normalises them: a quarter of the bytes to copy.
 */
public final class BatchPipeline implements Iterator<Batch>, AutoCloseable {
  private static final int PREFETCH = 4;
  private static final int IMAGE_BYTES = 32 * 32 * 3;

  private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(PREFETCH);
  private final Thread producer;
  private final int lastBatch;
  private int nextIndex;

  /**
   * @param augmenter null for no augmentation
   * @param firstBatch the batch to start at (non-zero when resuming mid-epoch)
   */
  public BatchPipeline(Split train, int batchSize, long seed, int epoch, int firstBatch, Augmenter augmenter) {
    this.lastBatch = batchesPerEpoch(train.size(), batchSize) - 1;
    this.nextIndex = firstBatch;
    this.producer =
        new Thread(() -> produce(train, batchSize, seed, epoch, firstBatch, augmenter), "batch-pipeline-epoch-" + epoch);
    producer.setDaemon(true);
    producer.start();
  }

  /** Batches in an epoch of {@code n} images; the last one may be partial, as in Keras' fit. */
  public static int batchesPerEpoch(int n, int batchSize) {
    return (n + batchSize - 1) / batchSize;
  }

  private void produce(Split train, int batchSize, long seed, int epoch, int firstBatch, Augmenter augmenter) {
    int[] order = EpochOrder.permutation(seed, epoch, train.size());
    byte[] pixels = new byte[batchSize * IMAGE_BYTES]; // reused for every batch
    int[] labels = new int[batchSize];
    byte[] source = train.images();
    try {
      for (int b = firstBatch; b <= lastBatch; b++) {
        int start = b * batchSize;
        int size = Math.min(batchSize, train.size() - start);
        SplittableRandom random = EpochOrder.random(seed, epoch, b);
        for (int i = 0; i < size; i++) {
          int image = order[start + i];
          labels[i] = train.labels()[image];
          if (augmenter == null) {
            System.arraycopy(source, image * IMAGE_BYTES, pixels, i * IMAGE_BYTES, IMAGE_BYTES);
          } else {
            augmenter.apply(source, image * IMAGE_BYTES, pixels, i * IMAGE_BYTES, random);
          }
        }
        Batch batch =
            new Batch(
                b, size,
                TUint8.tensorOf(Shape.of(size, 32, 32, 3), DataBuffers.of(pixels, true, false).narrow(size * (long) IMAGE_BYTES)),
                TInt32.tensorOf(Shape.of(size), DataBuffers.of(labels, true, false).narrow(size)));
        try {
          queue.put(batch);
        } catch (InterruptedException e) {
          batch.close();
          return;
        }
      }
    } catch (RuntimeException | Error e) {
      try {
        queue.put(e);
      } catch (InterruptedException ignored) {
        // closing: nobody waits for the error
      }
    }
  }

  @Override
  public boolean hasNext() {
    return nextIndex <= lastBatch;
  }

  @Override
  public Batch next() {
    if (!hasNext()) throw new NoSuchElementException();
    Object item;
    try {
      item = queue.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a batch", e);
    }
    if (item instanceof RuntimeException e) throw e;
    if (item instanceof Error e) throw e;
    nextIndex++;
    return (Batch) item;
  }

  /** Stops the producer and frees the native memory of batches made but not taken. */
  @Override
  public void close() {
    producer.interrupt();
    try {
      producer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Object item; (item = queue.poll()) != null; ) {
      if (item instanceof Batch batch) batch.close();
    }
  }
}
