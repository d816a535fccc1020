package org.cifarresnet.checkpoint;

import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cifarresnet.config.RunConfig;
import org.cifarresnet.util.AtomicFiles;
import org.cifarresnet.util.RefusedValue;
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
    AtomicFiles.writeString(file, SettingsJson.GSON.toJson(this) + "\n");
  }

  /** Reads a run's config.json; a file that is missing, unreadable or not a run's settings is a UserError. */
  public static RunManifest read(Path file) {
    String why;
    try {
      RunManifest m = SettingsJson.parse(Files.readString(file), RunManifest.class);
      if (m != null && m.config() != null) return m;
      why = "it holds no settings";
    } catch (IOException e) {
      why = AtomicFiles.describe(e);
    } catch (JsonParseException | RefusedValue e) {
      why = e.getMessage();
    }
    String reason = why == null ? "unreadable" : why.replaceAll("\\s+", " ").strip();
    if (reason.length() > 200) reason = reason.substring(0, 197) + "...";
    throw new UserError("cannot read " + file + " (" + reason + "); it is not a run's config.json");
  }
}
