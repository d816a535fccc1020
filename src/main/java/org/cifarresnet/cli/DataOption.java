package org.cifarresnet.cli;

import java.nio.file.Path;
import org.cifarresnet.data.CifarDataset;
import org.cifarresnet.data.CifarDownloader;
import org.cifarresnet.data.CifarReader;

/** Finds and reads CIFAR-10: the given path, or the cached official archive, downloaded on first use. */
final class DataOption {
  private DataOption() {}

  /** The training images a run uses: the first {@code --limit} of them, or all. */
  static org.cifarresnet.data.Split trainingSplit(org.cifarresnet.config.RunConfig config, CifarDataset data) {
    int limit = config.data().limit();
    return limit > 0 ? data.train().limit(limit) : data.train();
  }

  /** The data a command should read: {@code --data} if given, else the run's own if it still exists, else null (the cache). */
  static Path givenOrRunOwn(Path given, org.cifarresnet.checkpoint.CheckpointInfo info) {
    if (given != null || info.dataset() == null) return given;
    Path own = Path.of(info.dataset().source());
    return java.nio.file.Files.exists(own) ? own : null;
  }

  static CifarDataset load(Path data) {
    Path path = data != null ? data : CifarDownloader.ensureDefault(System.err);
    long began = System.nanoTime();
    CifarDataset dataset = CifarReader.read(path);
    System.out.printf(java.util.Locale.ROOT, "read %s: %,d training and %,d test images in %.1f s%n",
        path, dataset.train().size(), dataset.test().size(), (System.nanoTime() - began) / 1e9);
    return dataset;
  }
}
