package org.cifarresnet.interop;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.lang.reflect.Array;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.cifarresnet.checkpoint.Npy;
import org.cifarresnet.util.AtomicFiles;
import org.cifarresnet.util.UserError;

/**
 * Writes a checkpoint's weights as a Keras weights file, the layout {@code model.save_weights}
 * writes in TF2 Keras, which {@code model.load_weights} reads into the example's network of the same
 * depth (Keras 3 reads .h5 files with the same legacy code; neither could be run here, see README):
 *
 * <ul>
 *   <li>root attributes {@code layer_names} (the weighted layers in {@link KerasLayout} file order:
 *       {@code load_weights} pairs them with the model's layers by position), {@code backend} and
 *       {@code keras_version};
 *   <li>per layer a group with attribute {@code weight_names} ({@code conv2d/kernel:0}, ...) and the
 *       datasets at {@code <layer>/<layer>/kernel:0}, float32, kernels HWIO as in Keras;
 *   <li>beside them, a root dataset {@code mean_image} (float32 [32, 32, 3] in 0..1) that Keras
 *       ignores: its users subtract it ({@code x / 255 - mean_image}) and {@code import-keras} finds it.
 * </ul>
 *
 * <p>jHDF's writer is young (it says "alpha"; version 0.9.4 misplaces an empty group written
 * last), so the file is written to a temporary directory, read back and compared value by value with
 * what was meant, and only then copied to its place through {@link AtomicFiles}.
 */
final class KerasH5Writer {
  /**
   * Keras reads {@code keras_version} only to convert Keras 1 weights; we write the layout of
   * tf-keras 2.x, the release matching our TensorFlow 2.18.
   */
  static final String KERAS_VERSION = "2.18.0";

  private KerasH5Writer() {}

  /** @param arrays a checkpoint's arrays by variable name; every weight of the layout must be there */
  static void write(Path target, KerasLayout layout, Map<String, Npy.Array> arrays, String generator) {
    Npy.Array mean = checkArrays(layout, arrays);
    writeVerified(target, tmp -> {
      writeRaw(tmp, layout, arrays, mean, generator);
      verify(tmp, layout, arrays, mean);
    });
  }

  /**
   * Checks that the checkpoint has every weight of the layout, in its shape, and a mean image.
   *
   * @return the mean image
   */
  static Npy.Array checkArrays(KerasLayout layout, Map<String, Npy.Array> arrays) {
    for (var layer : layout.layers()) {
      for (var w : layer.weights()) {
        Npy.Array a = arrays.get(w.variable());
        if (a == null || !Arrays.equals(a.shape(), w.shape())) {
          throw new UserError("the checkpoint's " + w.variable() + " is " + (a == null ? "missing" : "of shape "
              + Arrays.toString(a.shape())) + ", " + layout.title() + " needs " + Arrays.toString(w.shape())
              + "; it was made for another network");
        }
      }
    }
    Npy.Array mean = arrays.get("input.mean_image");
    if (mean == null) throw new UserError("the checkpoint has no input.mean_image; export a checkpoint written by train");
    return mean;
  }

  /**
   * Writes an HDF5 file into a temporary directory beside {@code target} ({@code write} writes and
   * checks it), then puts it in place whole; nothing is left behind if anything fails.
   */
  static void writeVerified(Path target, Consumer<Path> write) {
    Path abs = target.toAbsolutePath();
    Path tmpDir = null;
    try {
      Files.createDirectories(abs.getParent());
      tmpDir = Files.createTempDirectory(abs.getParent(), "." + abs.getFileName() + ".");
      Path tmp = tmpDir.resolve("weights.h5");
      write.accept(tmp);
      Path written = tmp;
      AtomicFiles.write(target, out -> Files.copy(written, out));
    } catch (IOException e) {
      throw new UserError("cannot write " + target + ": " + AtomicFiles.describe(e) + "; choose another --out", e);
    } finally {
      if (tmpDir != null) NewDirectory.deleteTree(tmpDir);
    }
  }

  private static void writeRaw(Path file, KerasLayout layout, Map<String, Npy.Array> arrays, Npy.Array mean, String generator) {
    List<KerasLayout.Layer> layers = layout.layers();
    try (WritableHdfFile h5 = HdfFile.write(file)) {
      h5.putAttribute("layer_names", layers.stream().map(KerasLayout.Layer::name).toArray(String[]::new));
      h5.putAttribute("backend", "tensorflow");
      h5.putAttribute("keras_version", KERAS_VERSION);
      h5.putAttribute("generator", generator);
      for (var layer : layers) {
        WritableGroup group = h5.putGroup(layer.name());
        group.putAttribute("weight_names",
            layer.weights().stream().map(w -> layer.name() + "/" + w.role() + ":0").toArray(String[]::new));
        WritableGroup inner = group.putGroup(layer.name());
        for (var w : layer.weights()) inner.putDataset(w.role() + ":0", shaped(arrays.get(w.variable())));
      }
      h5.putDataset(KerasH5File.MEAN_IMAGE, shaped(mean))
          .putAttribute("description", "per-pixel mean of the training images, HWC, in 0..1: feed x / 255 - mean_image");
    }
  }

  /** Reads the file back as {@code import-keras} would and demands every value bit for bit. */
  private static void verify(Path file, KerasLayout layout, Map<String, Npy.Array> arrays, Npy.Array mean) {
    try (KerasH5File h5 = KerasH5File.open(file)) {
      KerasMatch match = KerasMatch.of(file, h5.layers(), layout.config().depth(), layout.config());
      for (var pair : match.pairs()) {
        if (!Arrays.equals(pair.theirs().read(), arrays.get(pair.ours().variable()).data())) {
          throw new IllegalStateException("jHDF wrote " + pair.theirs().path() + " wrongly");
        }
      }
      if (!Arrays.equals(h5.meanImage(), mean.data())) throw new IllegalStateException("jHDF wrote mean_image wrongly");
    } catch (UserError | IllegalStateException e) {
      throw new IllegalStateException("the Keras file written did not read back as written (" + e.getMessage() + ")", e);
    }
  }

  /** A flat C-order array as the nested Java array jHDF writes with that shape. */
  static Object shaped(Npy.Array a) {
    int[] dims = Arrays.stream(a.shape()).mapToInt(Math::toIntExact).toArray();
    if (dims.length == 1) return a.data().clone();
    Object nested = Array.newInstance(float.class, dims);
    fill(nested, dims, 0, a.data(), new int[] {0});
    return nested;
  }

  private static void fill(Object array, int[] dims, int axis, float[] flat, int[] next) {
    if (axis == dims.length - 1) {
      float[] row = (float[]) array;
      System.arraycopy(flat, next[0], row, 0, row.length);
      next[0] += row.length;
      return;
    }
    for (int i = 0; i < dims[axis]; i++) fill(Array.get(array, i), dims, axis + 1, flat, next);
  }
}
