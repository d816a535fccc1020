package org.cifarresnet.data;

import java.util.Arrays;
import org.cifarresnet.util.UserError;

/**
 * One part of CIFAR-10 (training or test images) held in memory as two flat byte arrays, because
 * that is both the most compact form (60,000 images are 184 MB) and what is copied into tensors.
 *
 * <p>Images are stored in <b>NHWC</b> order, i.e. image {@code i}, row {@code y}, column {@code x},
 * channel {@code c} (0 red, 1 green, 2 blue) is at {@code i * IMAGE_BYTES + (y * WIDTH + x) *
 * CHANNELS + c}, as unsigned bytes. The official files store each image as three planes (CHW);
 * {@link CifarReader} converts once at load time so nothing downstream has to.
 *
 * <p>The arrays are shared, not copied, to avoid doubling memory: treat them as read-only. Equality
 * compares content.
 *
 * @param images {@code size() * IMAGE_BYTES} pixel bytes, NHWC, unsigned 0..255
 * @param labels {@code size()} class indices 0..9
 */
public record Split(byte[] images, byte[] labels) {
  public static final int HEIGHT = 32;
  public static final int WIDTH = 32;
  public static final int CHANNELS = 3;
  public static final int IMAGE_BYTES = HEIGHT * WIDTH * CHANNELS;
  /** Number of classes; labels are 0 to {@code CLASSES - 1}. */
  public static final int CLASSES = 10;

  /**
   * Checks that the arrays describe whole images with one valid label each, so that no later step
   * can index past an image or one-hot encode a label out of range.
   *
   * @throws IllegalArgumentException if the arrays are inconsistent (a programming error: {@link
   *     CifarReader} validates user data with a precise message before building a split)
   */
  public Split {
    if (images == null || labels == null) {
      throw new IllegalArgumentException("images and labels must not be null");
    }
    if ((long) labels.length * IMAGE_BYTES != images.length) {
      throw new IllegalArgumentException(
          images.length + " image bytes do not hold " + labels.length + " images of " + IMAGE_BYTES + " bytes");
    }
    for (int i = 0; i < labels.length; i++) {
      if ((labels[i] & 0xFF) >= CLASSES) {
        throw new IllegalArgumentException("label " + (labels[i] & 0xFF) + " of image " + i + " is not 0.." + (CLASSES - 1));
      }
    }
  }

  /** Number of images. */
  public int size() {
    return labels.length;
  }

  /**
   * The first {@code n} images, e.g. for a quick run on part of the data. Returns this split itself
   * when {@code n == size()}, otherwise copies.
   *
   * @throws UserError if {@code n} is negative or more than {@link #size()}
   */
  public Split limit(int n) {
    if (n < 0 || n > size()) {
      throw new UserError(
          "cannot take " + n + " images from a split of " + size() + "; ask for 0 to " + size() + " images");
    }
    if (n == size()) {
      return this;
    }
    return new Split(Arrays.copyOf(images, n * IMAGE_BYTES), Arrays.copyOf(labels, n));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Split s && Arrays.equals(images, s.images) && Arrays.equals(labels, s.labels);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(images) + Arrays.hashCode(labels);
  }

  @Override
  public String toString() {
    return "Split[size=" + size() + "]";
  }
}
