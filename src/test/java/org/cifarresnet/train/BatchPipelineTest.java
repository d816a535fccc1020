package org.cifarresnet.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.cifarresnet.config.DataConfig.Fill;
import org.cifarresnet.data.Split;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.buffer.DataBuffers;

class BatchPipelineTest {
  private static final int IMAGE = 32 * 32 * 3;

  private static Split split(int n) {
    byte[] images = new byte[n * IMAGE];
    new Random(1).nextBytes(images);
    byte[] labels = new byte[n];
    for (int i = 0; i < n; i++) labels[i] = (byte) (i % 10);
    return new Split(images, labels);
  }

  private record Copy(int size, byte[] pixels, int[] labels) {}

  private static List<Copy> epoch(Split split, int batch, long seed, int epoch, int first, Augmenter augmenter) {
    List<Copy> out = new ArrayList<>();
    try (var pipeline = new BatchPipeline(split, batch, seed, epoch, first, augmenter)) {
      while (pipeline.hasNext()) {
        try (Batch b = pipeline.next()) {
          byte[] pixels = new byte[b.size() * IMAGE];
          int[] labels = new int[b.size()];
          b.images().copyTo(DataBuffers.of(pixels, false, false));
          b.labels().copyTo(DataBuffers.of(labels, false, false));
          out.add(new Copy(b.size(), pixels, labels));
        }
      }
    }
    return out;
  }

  @Test
  void withoutAugmentationTheBatchesAreThePlainImagesInTheEpochsOrder() {
    Split split = split(50);
    List<Copy> batches = epoch(split, 16, 9, 0, 0, null);
    assertEquals(4, batches.size());
    assertEquals(2, batches.get(3).size(), "the last batch is partial, as in Keras' fit");
    int[] order = EpochOrder.permutation(9, 0, 50);
    for (int b = 0; b < batches.size(); b++) {
      for (int i = 0; i < batches.get(b).size(); i++) {
        int image = order[b * 16 + i];
        assertEquals(split.labels()[image], batches.get(b).labels()[i]);
        assertArrayEquals(
            Arrays.copyOfRange(split.images(), image * IMAGE, (image + 1) * IMAGE),
            Arrays.copyOfRange(batches.get(b).pixels(), i * IMAGE, (i + 1) * IMAGE));
      }
    }
  }

  @Test
  void everyImageIsSeenOncePerEpochAndEpochsAreShuffledDifferently() {
    int[] a = EpochOrder.permutation(9, 0, 1000);
    int[] b = EpochOrder.permutation(9, 1, 1000);
    assertFalse(Arrays.equals(a, b));
    int[] sorted = a.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < 1000; i++) assertEquals(i, sorted[i]);
    assertArrayEquals(a, EpochOrder.permutation(9, 0, 1000), "the same seed and epoch give the same order");
  }

  @Test
  void startingMidEpochGivesTheSameLaterBatchesAugmentationIncluded() {
    Split split = split(64);
    var augmenter = new Augmenter(3, Fill.EDGE);
    List<Copy> whole = epoch(split, 16, 4, 2, 0, augmenter);
    List<Copy> tail = epoch(split, 16, 4, 2, 2, augmenter);
    assertEquals(2, tail.size());
    for (int i = 0; i < 2; i++) assertArrayEquals(whole.get(i + 2).pixels(), tail.get(i).pixels());
    assertNotEquals(
        Arrays.hashCode(whole.get(0).pixels()), Arrays.hashCode(epoch(split, 16, 4, 2, 0, null).get(0).pixels()),
        "augmentation changes the pixels");
  }

  @Test
  void closingEarlyFreesTheRestAndStopsTheProducer() {
    Split split = split(200);
    try (var pipeline = new BatchPipeline(split, 8, 1, 0, 0, null)) {
      pipeline.next().close();
    }
    // Nothing to assert on native memory directly; the producer thread must be gone.
    assertFalse(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().startsWith("batch-pipeline") && t.isAlive()));
  }
}
