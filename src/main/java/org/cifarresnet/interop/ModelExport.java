package org.cifarresnet.interop;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.cifarresnet.checkpoint.Checkpoint;
import org.cifarresnet.checkpoint.Provenance;
import org.cifarresnet.checkpoint.RunDirectory;
import org.cifarresnet.util.RefusedValue;
import org.cifarresnet.util.UserError;

/** {@code export}: a checkpoint as a Keras weights file (legacy or Keras 3), a TensorFlow SavedModel or an ONNX model. */
public final class ModelExport {
  /** The ONNX operator set that {@code --format onnx} writes. */
  public static final int ONNX_OPSET = OnnxExport.OPSET;

  private ModelExport() {}

  /** What to write. */
  public enum Format {
    /** Keras weights (.h5) for {@code model.load_weights} on the example's network, see {@link KerasH5Writer}. */
    KERAS_H5("keras-h5"),
    /** A SavedModel directory for TensorFlow Serving, Python and Java, see {@link SavedModelExport}. */
    SAVEDMODEL("savedmodel"),
    /** Keras 3 weights ({@code .weights.h5}) for Keras 3's {@code model.load_weights}, see {@link Keras3WeightsWriter}. */
    KERAS3_WEIGHTS("keras3-weights"),
    /** An ONNX model (.onnx) for ONNX Runtime and what loads ONNX, see {@link OnnxExport}. */
    ONNX("onnx");

    public final String label;

    Format(String label) {
      this.label = label;
    }

    /** The format of this name; an unknown name is refused with the known ones listed. */
    public static Format parse(String name) {
      return Arrays.stream(values()).filter(f -> f.label.equals(name.toLowerCase(Locale.ROOT))).findFirst()
          .orElseThrow(() -> new RefusedValue(
              "--format must be keras-h5, keras3-weights, savedmodel or onnx, got '" + name + "'"));
    }
  }

  /**
   * Writes {@code out} from the checkpoint {@code source} names (a run directory's best checkpoint,
   * or a checkpoint file); nothing is written if anything fails.
   *
   * @param force replace an existing file (keras-h5, keras3-weights, onnx); a SavedModel directory is
   *     never replaced, only written into a new or empty one
   * @return the checkpoint file that was exported
   */
  public static Checkpoint export(Path source, Format format, Path out, boolean force) {
    if (format != Format.SAVEDMODEL) checkFileTarget(out, force); // before the work of loading
    Checkpoint checkpoint = Checkpoint.load(RunDirectory.checkpointOf(source));
    var config = checkpoint.info().config().model();
    switch (format) {
      case KERAS_H5 -> KerasH5Writer.write(out, KerasLayout.of(config), checkpoint.arrays(),
          "cifar-resnet " + Provenance.version() + " (jHDF)");
      case SAVEDMODEL -> SavedModelExport.write(out, config, checkpoint.arrays());
      case KERAS3_WEIGHTS -> Keras3WeightsWriter.write(out, KerasLayout.of(config), checkpoint.arrays(),
          "cifar-resnet " + Provenance.version() + " (jHDF)");
      case ONNX -> OnnxExport.write(out, config, checkpoint.arrays(), checkpoint.info().dataset().classNames());
    }
    return checkpoint;
  }

  /** Refuses an --out that is a directory, or an existing file unless {@code force}: no silent overwrite. */
  static void checkFileTarget(Path target, boolean force) {
    if (Files.isDirectory(target)) {
      throw new UserError(target + " is a directory; give --out a file name, such as model.onnx or model.h5");
    }
    if (Files.exists(target) && !force) {
      throw new UserError(target + " already exists; pass --force to replace it, or choose another --out");
    }
  }
}
