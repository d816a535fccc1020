package org.cifarresnet.cli;

import java.nio.file.Path;
import org.cifarresnet.data.CifarDataset;
import org.cifarresnet.data.CifarDownloader;
import org.cifarresnet.data.CifarReader;

/** Finds and reads CIFAR-10: the given path, or the cached official archive, downloaded on first use. */
final class DataOption {
  private DataOption() {}

  static CifarDataset load(Path data) {
    Path path = data != null ? data : CifarDownloader.ensureDefault(System.err);
    long began = System.nanoTime();
    CifarDataset dataset = CifarReader.read(path);
    System.out.printf(java.util.Locale.ROOT, "read %s: %,d training and %,d test images in %.1f s%n",
        path, dataset.train().size(), dataset.test().size(), (System.nanoTime() - began) / 1e9);
    return dataset;
  }
}
