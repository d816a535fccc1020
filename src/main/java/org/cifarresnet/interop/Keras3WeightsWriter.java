package org.cifarresnet.interop;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.cifarresnet.checkpoint.Npy;
import org.cifarresnet.util.UserError;

/**
 * Writes a checkpoint's weights as a Keras 3 {@code .weights.h5} file, the layout
 * {@code model.save_weights} writes in Keras 3 and {@code model.load_weights} reads into the example's
 * network of the same depth (see {@link Keras3Layout}; Keras 3 itself could not be run here):
 *
 * <ul>
 *   <li>per weighted layer a group {@code layers/<class>_<n>/vars} holding its variables as datasets
 *       {@code 0}, {@code 1}, ... (float32, kernels HWIO as in Keras), with the attribute {@code name},
 *       the layer's name, as Keras 3.6 and later write it;
 *   <li>a root dataset {@code mean_image} (float32 [32, 32, 3] in 0..1) that Keras' loader never asks
 *       for: its users subtract it ({@code x / 255 - mean_image}) and {@code import-keras} finds it;
 *   <li>a root attribute {@code generator} naming us; Keras writes no root attributes and reads none.
 * </ul>
 *
 * <p>One departure from what Keras writes: Keras also gives each layer without variables (input,
 * activations, adds, pooling, flatten) and the model itself an empty {@code vars} group. Its loader
 * treats a missing group as empty ({@code H5IOStore.get}), so they are left out, because jHDF (0.9.4,
 * and the code of 0.13.0) writes its own name tag at the position of its last data write, over the
 * header of an empty group laid out after the last dataset. As for {@link KerasH5Writer}, the file is
 * read back and compared value by value before it is put in place.
 */
final class Keras3WeightsWriter {
  /** Keras 3's {@code load_weights} picks its reader by this ending; any other name loads as a legacy .h5. */
  static final String SUFFIX = ".weights.h5";

  private Keras3WeightsWriter() {}

  /** @param arrays a checkpoint's arrays by variable name; every weight of the layout must be there */
  static void write(Path target, KerasLayout layout, Map<String, Npy.Array> arrays, String generator) {
    if (!target.getFileName().toString().endsWith(SUFFIX)) {
      throw new IllegalArgumentException("--out must end in " + SUFFIX + " for --format keras3-weights: Keras 3's"
          + " load_weights reads any other name as a legacy .h5 file");
    }
    Npy.Array mean = KerasH5Writer.checkArrays(layout, arrays);
    Map<KerasLayout.Layer, String> groups = Keras3Layout.groups(layout);
    KerasH5Writer.writeVerified(target, tmp -> {
      writeRaw(tmp, groups, arrays, mean, generator);
      verify(tmp, layout, arrays, mean);
    });
  }

  private static void writeRaw(
      Path file, Map<KerasLayout.Layer, String> groups, Map<String, Npy.Array> arrays, Npy.Array mean, String generator) {
    try (WritableHdfFile h5 = HdfFile.write(file)) {
      h5.putAttribute("generator", generator);
      WritableGroup layers = h5.putGroup(Keras3Layout.LAYERS);
      for (var e : groups.entrySet()) {
        KerasLayout.Layer layer = e.getKey();
        String group = e.getValue().substring(Keras3Layout.LAYERS.length() + 1);
        WritableGroup vars = layers.putGroup(group).putGroup(Keras3Layout.VARS);
        vars.putAttribute("name", group); // in a fresh Keras session the example's layers are named so
        List<String> indices = Keras3Layout.indices(layer.type());
        for (int i = 0; i < indices.size(); i++) {
          vars.putDataset(indices.get(i), KerasH5Writer.shaped(arrays.get(layer.weights().get(i).variable())));
        }
      }
      h5.putDataset(KerasH5File.MEAN_IMAGE, KerasH5Writer.shaped(mean))
          .putAttribute("description", "per-pixel mean of the training images, HWC, in 0..1: feed x / 255 - mean_image");
    }
  }

  /** Reads the file back as {@code import-keras} would and demands every value bit for bit. */
  private static void verify(Path file, KerasLayout layout, Map<String, Npy.Array> arrays, Npy.Array mean) {
    try (KerasH5File h5 = KerasH5File.open(file)) {
      KerasMatch match = KerasMatch.inOrder(file, Keras3Weights.byGroupNames(h5), layout.config().depth(), layout.config());
      for (var pair : match.pairs()) {
        if (!Arrays.equals(pair.theirs().read(), arrays.get(pair.ours().variable()).data())) {
          throw new IllegalStateException("jHDF wrote " + pair.theirs().path() + " wrongly");
        }
      }
      if (!Arrays.equals(h5.meanImage(), mean.data())) throw new IllegalStateException("jHDF wrote mean_image wrongly");
    } catch (UserError | IllegalStateException e) {
      throw new IllegalStateException("the Keras 3 file written did not read back as written (" + e.getMessage() + ")", e);
    }
  }
}
