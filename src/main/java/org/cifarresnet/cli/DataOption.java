package org.cifarresnet.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import org.cifarresnet.checkpoint.CheckpointInfo;
import org.cifarresnet.config.RunConfig;
import org.cifarresnet.data.CifarDataset;
import org.cifarresnet.data.CifarDownloader;
import org.cifarresnet.data.CifarReader;
import org.cifarresnet.data.Split;

/** Finds and reads CIFAR-10: the given path, or the cached official archive, downloaded on first use. */
final class DataOption {
  private DataOption() {}

  /** The training images a run uses: the first {@code --limit} of them, or all. */
  static Split trainingSplit(RunConfig config, CifarDataset data) {
    int limit = config.data().limit();
    return limit > 0 ? data.train().limit(limit) : data.train();
  }

  /** The data a command should read: {@code --data} if given, else the run's own if it still exists, else null (the cache). */
  static Path givenOrRunOwn(Path given, CheckpointInfo info) {
    if (given != null || info.dataset() == null) return given;
    try {
      Path own = Path.of(info.dataset().source());
      return Files.exists(own) ? own : null;
    } catch (InvalidPathException e) {
      return null; // recorded on another system, or not a path: the cache
    }
  }

  /**
   * Reads {@code data} (null: the cached download, its progress drawn on {@code err}), saying on
   * {@code out} what it read.
   */
  static CifarDataset load(Path data, PrintWriter out, PrintWriter err) {
    Path path = data != null ? data : CifarDownloader.ensureDefault(err);
    long began = System.nanoTime();
    CifarDataset dataset = CifarReader.read(path);
    out.printf(Locale.ROOT, "read %s: %,d training and %,d test images in %.1f s%n",
        path, dataset.train().size(), dataset.test().size(), (System.nanoTime() - began) / 1e9);
    out.flush();
    return dataset;
  }
}
