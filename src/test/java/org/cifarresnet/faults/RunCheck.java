package org.cifarresnet.faults;

import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.cifarresnet.checkpoint.Checkpoint;
import org.cifarresnet.checkpoint.RunDirectory;
import org.cifarresnet.report.HistoryCsv;
import org.cifarresnet.tensorboard.EventFiles;
import org.cifarresnet.train.EpochStats;
import org.cifarresnet.util.UserError;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;

/**
 * What a run directory holds after a fault, read the way the program and its users read it: every
 * file must parse whole. Temporary files ({@code .NAME*.tmp}, left by a writer killed before its
 * rename) are counted, not faulted: no reader opens them and the next run sweeps them away.
 * TensorBoard's event files may end in a torn record, as TensorFlow's writer leaves them when killed.
 */
record RunCheck(List<String> problems, int temporaries, int historyRows, int checkpointEpochs, int checkpointSteps,
    boolean hasCheckpoint, boolean hasConfig, List<EpochStats> history, int tensorboardEpochs) {

  private static final Set<String> KNOWN = Set.of(
      "config.json", "history.csv", "train.log", "curves.png", "report.html", ".lock", "checkpoints",
      "checkpoints/last.npz", "checkpoints/best.npz", "tensorboard", "tensorboard/train", "tensorboard/validation");
  /** Every epoch scalar, folder and tag: each must hold the same steps, one per finished epoch. */
  private static final List<String> EPOCH_TAGS = List.of("train/epoch_loss", "train/epoch_accuracy",
      "train/epoch_learning_rate", "train/epoch_images_per_second", "validation/epoch_loss", "validation/epoch_accuracy");

  boolean whole() {
    return problems.isEmpty();
  }

  static RunCheck of(Path root) {
    if (!Files.isDirectory(root)) return new RunCheck(List.of(), 0, 0, 0, 0, false, false, List.of(), 0);
    List<String> problems = new ArrayList<>();
    int temporaries = 0;
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path f : (Iterable<Path>) walk::iterator) {
        if (f.equals(root)) continue;
        String rel = root.relativize(f).toString().replace('\\', '/');
        String name = f.getFileName().toString();
        if (name.startsWith(".") && name.endsWith(".tmp")) {
          temporaries++;
        } else if (!KNOWN.contains(rel) && !(rel.matches("tensorboard/(train|validation)/[^/]+") && name.contains("tfevents"))) {
          problems.add("unexpected file " + rel);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    RunDirectory run = new RunDirectory(root);
    if (Files.exists(run.config())) {
      try {
        if (!JsonParser.parseString(Files.readString(run.config())).isJsonObject()) problems.add("config.json is not an object");
      } catch (IOException | JsonParseException e) {
        problems.add("config.json: " + e.getMessage());
      }
    }
    List<EpochStats> history = List.of();
    if (Files.exists(run.history())) {
      try {
        history = HistoryCsv.read(run.history());
        for (int i = 0; i < history.size(); i++) {
          if (history.get(i).epoch() != i + 1) problems.add("history.csv row " + (i + 1) + " is epoch " + history.get(i).epoch());
        }
      } catch (UserError e) {
        problems.add("history.csv: " + e.getMessage());
      }
    }
    if (Files.exists(run.curves())) {
      try {
        if (ImageIO.read(run.curves().toFile()) == null) problems.add("curves.png is not a PNG");
      } catch (IOException | RuntimeException e) {
        problems.add("curves.png: " + e);
      }
    }
    Path report = root.resolve("report.html");
    if (Files.exists(report)) {
      try {
        if (!Files.readString(report, StandardCharsets.UTF_8).strip().endsWith("</html>")) problems.add("report.html is cut short");
      } catch (IOException e) {
        problems.add("report.html: " + e);
      }
    }
    int epochs = 0;
    int steps = 0;
    boolean hasCheckpoint = false;
    for (Path ckpt : List.of(run.best(), run.last())) {
      if (!Files.exists(ckpt)) continue;
      try {
        Checkpoint c = Checkpoint.load(ckpt);
        if (ckpt.equals(run.last())) {
          hasCheckpoint = true;
          epochs = c.info().state().epochsDone();
          steps = c.info().state().partial().batchesDone();
        }
      } catch (UserError e) {
        problems.add(root.relativize(ckpt) + ": " + e.getMessage());
      }
    }
    int tensorboardEpochs = checkTensorBoard(root, epochs, problems);
    return new RunCheck(
        problems, temporaries, history.size(), epochs, steps, hasCheckpoint, Files.exists(run.config()), history, tensorboardEpochs);
  }

  /**
   * The event files: each reads with every checksum matching, but for a torn last record (a kill during a
   * write); no step of a tag twice; no epoch the checkpoint does not hold (its events follow its checkpoint).
   *
   * @return the epochs every epoch scalar holds
   */
  private static int checkTensorBoard(Path root, int checkpointEpochs, List<String> problems) {
    Map<String, Set<Long>> steps = new HashMap<>();
    for (String folder : List.of("train", "validation")) {
      try {
        for (Path file : EventFiles.in(root.resolve("tensorboard").resolve(folder))) {
          EventFiles.Contents contents = EventFiles.read(file);
          if (contents.damage() != null && !contents.truncated()) problems.add(contents.damage());
          for (Event e : contents.events()) {
            for (Summary.Value v : e.getSummary().getValueList()) {
              String tag = folder + "/" + v.getTag();
              if (!steps.computeIfAbsent(tag, t -> new HashSet<>()).add(e.getStep())) {
                problems.add("TensorBoard " + tag + " has step " + e.getStep() + " twice");
              }
              if (EPOCH_TAGS.contains(tag) && e.getStep() >= checkpointEpochs) {
                problems.add("TensorBoard " + tag + " has epoch " + (e.getStep() + 1) + ", the checkpoint " + checkpointEpochs);
              }
            }
          }
        }
      } catch (IOException e) {
        problems.add("tensorboard/" + folder + ": " + e);
      }
    }
    return EPOCH_TAGS.stream().mapToInt(t -> steps.getOrDefault(t, Set.of()).size()).min().orElse(0);
  }
}
