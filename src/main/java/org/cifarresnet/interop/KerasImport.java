package org.cifarresnet.interop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cifarresnet.checkpoint.Checkpoint;
import org.cifarresnet.checkpoint.CheckpointInfo;
import org.cifarresnet.checkpoint.Npy;
import org.cifarresnet.checkpoint.Provenance;
import org.cifarresnet.checkpoint.RunDirectory;
import org.cifarresnet.checkpoint.RunManifest;
import org.cifarresnet.config.Precision;
import org.cifarresnet.config.Presets;
import org.cifarresnet.config.RunConfig;
import org.cifarresnet.model.CifarModel;
import org.cifarresnet.train.TrainingState;
import org.cifarresnet.util.AtomicFiles;
import org.cifarresnet.util.UserError;

/**
 * Turns a Keras file of the {@code cifar10_resnet} ResNet v1 (legacy .h5, Keras 3 .weights.h5 or
 * .keras) into a run directory whose checkpoints {@code evaluate}, {@code predict} and
 * {@code resume} use. In two steps, so that the
 * caller can check the file before it spends time reading the training data for the mean image:
 * {@link #read} checks and reads the weights, {@link #writeRun} writes the run.
 *
 * <p>The run gets the {@code keras} preset's settings at the file's depth, a {@code best.npz}
 * (the model) and a {@code last.npz} with fresh Adam moments at epoch 0: Keras weights files carry
 * no optimizer state, so {@code resume} fine-tunes from the imported weights with the preset's
 * schedule from its start.
 */
public final class KerasImport {
  /** CIFAR-10's classes in label order, as {@code keras.datasets.cifar10} and the binary release number them. */
  public static final List<String> CIFAR10_CLASSES = List.of(
      "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

  private KerasImport() {}

  /**
   * What a run made without training data records about its data: nothing but the class names. The
   * source is a description, not a path, so {@code evaluate} falls back to the cached download and
   * {@code resume} asks for {@code --data}.
   */
  public static CheckpointInfo.DatasetInfo noData(String meanFrom) {
    return new CheckpointInfo.DatasetInfo("(no training data: mean image from " + meanFrom + ")", "", CIFAR10_CLASSES, 0, 0);
  }

  /** Refuses an --out that holds a run or anything else, before any work is done. */
  public static void checkOut(Path out) {
    RunDirectory.fresh(out);
    NewDirectory.checkFree(out, "--out");
  }

  /**
   * A Keras file's weights, checked against the network and read.
   *
   * @param file the .h5 file
   * @param layout the network they fit
   * @param values our variable name -> values, for every weight of the network
   * @param embeddedMean the mean image our own exports carry, or null (Keras files have none)
   * @param kerasVersion the file's {@code keras_version} attribute, or "unknown"
   */
  public record Weights(Path file, KerasLayout layout, Map<String, float[]> values, float[] embeddedMean, String kerasVersion) {
    public int depth() {
      return layout.config().depth();
    }
  }

  /**
   * Reads and checks a Keras file of any of the three kinds, told apart by content: a legacy .h5
   * (Keras 2, tf.keras; {@code layer_names}), a Keras 3 {@code .weights.h5} ({@code layers/<name>/vars})
   * or a Keras 3 {@code .keras} archive (a zip).
   *
   * @param depth the depth the user expects, or null to take the file's
   * @throws UserError for a file that is not HDF5 or a zip, not Keras, of another network or depth, or incomplete
   */
  public static Weights read(Path file, Integer depth) {
    if (Keras3Archive.isZip(file)) return readArchive(file, depth);
    try (KerasH5File h5 = KerasH5File.open(file)) {
      if (!h5.hasLegacyLayout() && Keras3Weights.hasLayout(h5)) {
        KerasMatch match = KerasMatch.inOrder(file, Keras3Weights.byGroupNames(h5), depth, Presets.keras().model());
        return weights(file, match, h5, "3.x"); // a .weights.h5 records no version
      }
      KerasMatch match = KerasMatch.of(file, h5.layers(), depth, Presets.keras().model());
      return weights(file, match, h5, h5.kerasVersion());
    }
  }

  /** A {@code .keras} archive: the layers paired in the order of its config.json, which is also checked. */
  private static Weights readArchive(Path file, Integer depth) {
    try (Keras3Archive archive = Keras3Archive.open(file);
        KerasH5File h5 = KerasH5File.open(archive.weights(), file)) {
      Keras3Config config = Keras3Config.parse(archive.config(), file);
      if (!Keras3Weights.hasLayout(h5)) {
        throw new UserError(file + ": its " + Keras3Archive.WEIGHTS + " has no layers group, the layout Keras 3 writes;"
            + " save the model again with Keras 3's model.save");
      }
      var layers = Keras3Weights.byConfig(h5, config, Keras3Archive.WEIGHTS + "/");
      KerasMatch match = KerasMatch.inOrder(file, layers, depth, Presets.keras().model());
      Map<KerasLayout.Weight, KerasLayout.Layer> ourLayer = new IdentityHashMap<>();
      match.layout().layers().forEach(l -> l.weights().forEach(w -> ourLayer.put(w, l)));
      Map<KerasH5File.Weight, String> theirLayer = new IdentityHashMap<>();
      layers.forEach(l -> l.weights().forEach(w -> theirLayer.put(w, l.name())));
      Map<String, KerasLayout.Layer> byName = new LinkedHashMap<>();
      for (var pair : match.pairs()) byName.put(theirLayer.get(pair.theirs()), ourLayer.get(pair.ours()));
      config.check(byName, match.layout().config().bnEpsilon(), file);
      return weights(file, match, h5, archive.kerasVersion());
    }
  }

  private static Weights weights(Path file, KerasMatch match, KerasH5File h5, String kerasVersion) {
    Map<String, float[]> values = new LinkedHashMap<>();
    for (KerasMatch.Pair pair : match.pairs()) values.put(pair.ours().variable(), pair.theirs().read());
    return new Weights(file, match.layout(), values, h5.meanImage(), kerasVersion);
  }

  /**
   * A mean image from a {@code .npy} file: float32 [32, 32, 3], HWC, in 0..1, as {@code export}
   * writes and as the Keras example computes ({@code np.mean(x_train / 255, axis=0)}).
   */
  public static float[] meanImageFromNpy(Path npy) {
    Npy.Array a;
    try {
      a = Npy.read(Files.readAllBytes(npy));
    } catch (IOException e) {
      throw new UserError("cannot read mean image " + npy + " (" + AtomicFiles.describe(e)
          + "); pass a float32 .npy array of shape (32, 32, 3)", e);
    }
    if (!Arrays.equals(a.shape(), new long[] {32, 32, 3})) {
      throw new UserError("mean image " + npy + " has shape " + Arrays.toString(a.shape())
          + "; pass a float32 .npy array of shape (32, 32, 3)");
    }
    return checkMean(a.data(), npy.toString());
  }

  /** Refuses a mean on the 0..255 scale: subtracted from x / 255 it would silently ruin every prediction. */
  static float[] checkMean(float[] mean, String source) {
    for (float v : mean) {
      if (!(v >= 0 && v <= 1)) {
        throw new UserError("mean image " + source + " holds " + v + "; it must be in 0..1 (the mean of x / 255),"
            + " divide a 0..255 mean by 255");
      }
    }
    return mean;
  }

  /**
   * Writes the run directory: {@code config.json}, {@code checkpoints/best.npz} and
   * {@code checkpoints/last.npz}, all or nothing.
   *
   * @param dataset the data the mean image came from (its class names label the predictions)
   * @param command the command line, recorded in config.json
   */
  public static void writeRun(
      Path out, Weights weights, float[] meanImage, CheckpointInfo.DatasetInfo dataset, int threads, String command) {
    RunDirectory.fresh(out);
    RunConfig keras = Presets.keras();
    RunConfig config = keras.with(keras.model().withDepth(weights.depth()));
    Provenance provenance = Provenance.current(threads, Precision.FP32);
    String now = OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString();
    NewDirectory.write(out, "--out", dir -> {
      RunDirectory run = new RunDirectory(dir);
      try (CifarModel model =
          new CifarModel(config.model(), config.optimizer(), config.training().seed(), Precision.FP32, threads)) {
        model.write(weights.values());
        model.setMeanImage(checkMean(meanImage, "given"));
        for (String kind : List.of("best", "last")) {
          var info = new CheckpointInfo(CheckpointInfo.FORMAT, kind, config, TrainingState.start(), dataset, provenance, now);
          Checkpoint.save(kind.equals("best") ? run.best() : run.last(), model, info, kind.equals("last"));
        }
      }
      new RunManifest(config, dataset, provenance, command, now).write(run.config());
    });
  }
}
