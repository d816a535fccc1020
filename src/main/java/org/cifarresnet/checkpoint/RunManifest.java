package org.cifarresnet.checkpoint;

import java.nio.file.Files;
import java.nio.file.Path;
import org.cifarresnet.config.RunConfig;
import org.cifarresnet.util.AtomicFiles;
import org.cifarresnet.util.UserError;

/**
 * A run's {@code config.json}: every setting, the data (path and checksum) and the software and
 * machine, written when the run starts.
 *
 * @param config every setting
 * @param dataset the training data
 * @param provenance versions, machine, threads, precision
 * @param command the command line that started the run
 * @param createdAt ISO-8601 start time
 */
public record RunManifest(
    RunConfig config, CheckpointInfo.DatasetInfo dataset, Provenance provenance, String command, String createdAt) {

  public void write(Path file) {
    AtomicFiles.writeString(file, Checkpoint.GSON.toJson(this) + "\n");
  }

  public static RunManifest read(Path file) {
    try {
      RunManifest m = Checkpoint.GSON.fromJson(Files.readString(file), RunManifest.class);
      if (m == null || m.config() == null) throw new IllegalArgumentException("empty");
      return m;
    } catch (Exception e) {
      throw new UserError("cannot read " + file + " (" + e.getMessage() + "); it is not a run's config.json");
    }
  }
}
