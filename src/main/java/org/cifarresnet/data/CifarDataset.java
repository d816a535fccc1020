package org.cifarresnet.data;

import java.util.List;
import java.util.Objects;

/**
 * CIFAR-10 as loaded: both splits, the class names, and where it came from. The source and its
 * checksum are kept so that a training run can record exactly which data it was trained on (a
 * locally rebuilt archive may legitimately differ from the official one).
 *
 * @param train the training images (50,000 in the official release)
 * @param test the test images (10,000 in the official release)
 * @param classNames the 10 class names, index = label, from {@code batches.meta.txt}
 * @param source the absolute path that was read, as given (archive file or folder)
 * @param sha256 lowercase hex SHA-256 of the archive file; for a folder, of the six batch files'
 *     bytes concatenated in the order data_batch_1..5, test_batch
 */
public record CifarDataset(Split train, Split test, List<String> classNames, String source, String sha256) {
  /** Checks for missing parts and copies the class names into an immutable list. */
  public CifarDataset {
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(test, "test");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(sha256, "sha256");
    classNames = List.copyOf(classNames);
    if (classNames.size() != Split.CLASSES) {
      throw new IllegalArgumentException("need " + Split.CLASSES + " class names, got " + classNames.size());
    }
  }
}
