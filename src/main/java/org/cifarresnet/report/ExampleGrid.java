package org.cifarresnet.report;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.cifarresnet.data.Split;
import org.cifarresnet.eval.Evaluation;

/**
 * Grids of test images with their true and predicted classes: the model's most confident mistakes, and a
 * random sample that shows what typical predictions look like.
 *
 * <p>Thumbnails are the 32 x 32 originals as PNG data URIs (about 3 KB each), enlarged by the browser with
 * {@code image-rendering: pixelated}: the page shows the pixels the network saw, as a nearest-neighbour
 * upscale would, at a sixteenth of the bytes and encoding time.
 */
final class ExampleGrid {
  /** Images per grid: two rows of the page's width. */
  static final int SIZE = 20;

  /** Mixed into the run's seed so the sample is not drawn from the same stream as the training order. */
  private static final long SAMPLE_SALT = 0x5EED_5A3B_1E5L;

  private ExampleGrid() {}

  /**
   * One test image and what the model made of it.
   *
   * @param index position in the test set
   * @param truth true class
   * @param predicted the class with the highest probability
   * @param confidence that probability
   */
  record Example(int index, int truth, int predicted, float confidence) {
    boolean right() {
      return truth == predicted;
    }
  }

  /** The {@code k} wrong predictions made with the highest probability, most confident first. */
  static List<Example> mistakes(Evaluation e, Split images, int k) {
    Comparator<Example> byConfidence = Comparator.comparingDouble(Example::confidence).thenComparing(x -> -x.index());
    // A min-heap of the k best so far: one pass over 10,000 x 10 probabilities, no sorting of them all.
    PriorityQueue<Example> heap = new PriorityQueue<>(byConfidence);
    for (int i = 0; i < images.size(); i++) {
      Example x = example(e, images, i);
      if (x.right()) continue;
      if (heap.size() < k) {
        heap.add(x);
      } else if (byConfidence.compare(x, heap.peek()) > 0) {
        heap.poll();
        heap.add(x);
      }
    }
    List<Example> result = new ArrayList<>(heap);
    result.sort(byConfidence.reversed());
    return result;
  }

  /** {@code k} images drawn at random with the run's seed (the same ones at every epoch), in test-set order. */
  static List<Example> sample(Evaluation e, Split images, long seed, int k) {
    int n = images.size();
    SplittableRandom random = new SplittableRandom(seed ^ SAMPLE_SALT);
    // Floyd's algorithm: k distinct indices without shuffling all n.
    TreeSet<Integer> chosen = new TreeSet<>();
    for (int j = n - Math.min(k, n); j < n; j++) {
      int t = random.nextInt(j + 1);
      chosen.add(chosen.contains(t) ? j : t);
    }
    List<Example> result = new ArrayList<>();
    for (int i : chosen) result.add(example(e, images, i));
    return result;
  }

  static Example example(Evaluation e, Split images, int i) {
    int classes = e.classNames().size();
    float[] p = e.probabilities();
    int best = 0;
    for (int c = 1; c < classes; c++) if (p[i * classes + c] > p[i * classes + best]) best = c;
    return new Example(i, images.labels()[i] & 0xFF, best, p[i * classes + best]);
  }

  /** Appends a grid of figures: the image, a mark that does not rely on colour, true and predicted class. */
  static void append(StringBuilder out, List<Example> examples, Evaluation e, Split images) {
    List<String> names = e.classNames();
    out.append("<div class=\"grid\">\n");
    for (Example x : examples) {
      out.append("<figure class=\"").append(x.right() ? "right" : "wrong").append("\" title=\"")
          .append(Html.esc(topThree(e, x.index()))).append("\"><img src=\"").append(thumbnail(images, x.index()))
          .append("\" alt=\"test image ").append(x.index()).append("\"><figcaption><span class=\"mark\">")
          .append(x.right() ? "✓ " : "✗ ").append("</span>").append(Html.esc(names.get(x.predicted()))).append(' ')
          .append(Html.percent(x.confidence()));
      if (!x.right()) out.append("<br>true: ").append(Html.esc(names.get(x.truth())));
      out.append("<br><span class=\"note\">#").append(x.index()).append("</span></figcaption></figure>\n");
    }
    out.append("</div>\n");
  }

  /** The image's three most probable classes, shown when the pointer rests on it. */
  private static String topThree(Evaluation e, int i) {
    int classes = e.classNames().size();
    float[] p = e.probabilities();
    List<Integer> order = new ArrayList<>();
    for (int c = 0; c < classes; c++) order.add(c);
    order.sort(Comparator.comparingDouble(c -> -p[i * classes + c]));
    StringBuilder sb = new StringBuilder("test image #" + i + ":");
    for (int r = 0; r < Math.min(3, classes); r++) {
      int c = order.get(r);
      sb.append(r == 0 ? " " : ", ").append(e.classNames().get(c)).append(' ').append(Html.percent(p[i * classes + c]));
    }
    return sb.toString();
  }

  /** Test image {@code i} (HWC bytes) as a 32 x 32 PNG data URI. */
  static String thumbnail(Split images, int i) {
    byte[] px = images.images();
    int base = i * Split.IMAGE_BYTES;
    BufferedImage image = new BufferedImage(Split.WIDTH, Split.HEIGHT, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < Split.HEIGHT; y++) {
      for (int x = 0; x < Split.WIDTH; x++) {
        int o = base + (y * Split.WIDTH + x) * Split.CHANNELS;
        image.setRGB(x, y, ((px[o] & 0xFF) << 16) | ((px[o + 1] & 0xFF) << 8) | (px[o + 2] & 0xFF));
      }
    }
    return ReportCharts.dataUri(image);
  }
}
