package org.cifarresnet.checkpoint;

import java.nio.file.Files;
import java.nio.file.Path;
import org.cifarresnet.util.UserError;

/**
 * The files of one training run, all under one directory:
 * {@code config.json}, {@code history.csv}, {@code train.log}, {@code curves.png} and
 * {@code checkpoints/last.npz} (resumable) and {@code checkpoints/best.npz} (best test accuracy).
 */
public record RunDirectory(Path root) {
  public Path config() {
    return root.resolve("config.json");
  }

  public Path history() {
    return root.resolve("history.csv");
  }

  public Path log() {
    return root.resolve("train.log");
  }

  public Path curves() {
    return root.resolve("curves.png");
  }

  public Path last() {
    return root.resolve("checkpoints").resolve("last.npz");
  }

  public Path best() {
    return root.resolve("checkpoints").resolve("best.npz");
  }

  /**
   * An existing run directory to resume: one that {@code train} created, with a last checkpoint or, if
   * it was stopped before its first epoch ended, at least its config.json. A directory without either
   * was stopped before train wrote anything (train names the directory only after config.json).
   */
  public static RunDirectory existing(Path root) {
    if (!Files.isDirectory(root)) {
      throw new UserError("run directory " + root + " not found; pass the --out directory of an earlier train");
    }
    RunDirectory run = new RunDirectory(root);
    if (!Files.isRegularFile(run.last()) && !Files.isRegularFile(run.config())) {
      throw new UserError("run directory " + root + " holds neither checkpoints/last.npz nor config.json; it is not"
          + " a run, or train was stopped before it began one: start it with train --out " + root);
    }
    return run;
  }

  /** Whether {@link #last()} exists: resume continues from it, or else starts the run over from config.json. */
  public boolean hasCheckpoint() {
    return Files.isRegularFile(last());
  }

  /** A directory for a new run: it may exist but must not already hold a run. */
  public static RunDirectory fresh(Path root) {
    RunDirectory run = new RunDirectory(root);
    if (Files.exists(run.config()) || Files.exists(run.last())) {
      throw new UserError(
          root + " already holds a run; continue it with 'cifar-resnet resume " + root + "' or choose another --out");
    }
    return run;
  }

  /**
   * A directory for {@code train}: as {@link #fresh}, except that a run killed before its first
   * checkpoint (a config.json, no last.npz) is started afresh, with this train's settings. (resume
   * starts it over too, with its own settings.)
   */
  public static RunDirectory forTrain(Path root) {
    RunDirectory run = new RunDirectory(root);
    boolean published = Files.exists(root.resolve("best.npz")) || Files.exists(root.resolve("model.npz"));
    return Files.exists(run.last()) || published ? fresh(root) : run;
  }

  /**
   * The checkpoint a path names: a checkpoint file itself, or in a run directory its best
   * checkpoint (the Keras example's saved model), else its last; a bare {@code best.npz} beside
   * it also counts, as in a published {@code models/<run>/} folder.
   */
  public static Path checkpointOf(Path path) {
    if (Files.isRegularFile(path)) return path;
    if (!Files.isDirectory(path)) {
      throw new UserError(path + " not found; pass a run directory or a checkpoint .npz file");
    }
    RunDirectory run = new RunDirectory(path);
    for (Path candidate : new Path[] {run.best(), run.last(), path.resolve("best.npz"), path.resolve("model.npz")}) {
      if (Files.isRegularFile(candidate)) return candidate;
    }
    throw new UserError(path + " has no checkpoints (checkpoints/best.npz or last.npz); train a model into it first");
  }
}
