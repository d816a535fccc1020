package org.cifarresnet.interop;

import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.dataset.ChunkedDataset;
import io.jhdf.exceptions.HdfException;
import io.jhdf.object.datatype.FloatingPoint;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cifarresnet.util.AtomicFiles;
import org.cifarresnet.util.UserError;

/**
 * A Keras HDF5 file opened for reading: its weighted layers in the order the file lists them.
 * Reads both kinds Keras writes: a whole model ({@code model.save}, {@code ModelCheckpoint}:
 * weights under {@code model_weights}) and weights only ({@code model.save_weights}: layer groups
 * at the root). Each layer group names its datasets in its {@code weight_names} attribute, e.g.
 * {@code conv2d/kernel:0} (TF2 Keras, Keras 2.2) or {@code conv2d/kernel} (Keras 3); a layer with
 * no weights (input, activation, add, pooling, flatten) has an empty list and is skipped.
 *
 * <p>The Keras 3 layout ({@code layers/<name>/vars/<i>}) is read by {@link Keras3Weights} from a file
 * opened here.
 *
 * <p>Only shapes are read up front; values are read by {@link Weight#read()} after the caller has
 * checked the shapes, so a hostile file cannot make us allocate more than the network's size.
 */
final class KerasH5File implements AutoCloseable {
  /** Name of the dataset in which our own exports carry the training set's mean image. */
  static final String MEAN_IMAGE = "mean_image";
  private static final Pattern NUMBERED = Pattern.compile("(.*?)_(\\d+)");

  /** One weight of a layer: its Keras short name, shape, the dataset holding its values and where that is. */
  record Weight(String role, long[] shape, Dataset dataset, Path file, String path) {
    /**
     * The values, as float32 in C order; Keras stores float32, float64 is narrowed. The caller has
     * checked the shape, which counts elements; what else decides how much jHDF allocates is checked
     * here, before any value is read: the element type, and the storage. Keras writes every weight
     * contiguous; a chunked one is refused because jHDF inflates a compressed chunk with no limit, so
     * a few kilobytes could unpack to gigabytes.
     */
    float[] read() {
      if (!(dataset.getDataType() instanceof FloatingPoint type) || (type.getSize() != 4 && type.getSize() != 8)) {
        throw new UserError(file + ": weight " + path + " holds " + dataset.getJavaType().getSimpleName()
            + " values, not floats; this is not a Keras weights file");
      }
      if (dataset instanceof ChunkedDataset) {
        throw new UserError(file + ": weight " + path + " is stored in chunks, as h5repack or compression writes it;"
            + " Keras writes weights unchunked: save the file again from Keras");
      }
      Object flat;
      try {
        flat = dataset.getDataFlat();
      } catch (HdfException e) {
        throw new UserError(file + " is not a readable Keras file (weight " + path + ": "
            + String.valueOf(e.getMessage()).replace('\n', ' ') + "); save it again from Keras");
      }
      if (flat instanceof float[] f) return f;
      double[] d = (double[]) flat; // a FloatingPoint of 8 bytes
      float[] f = new float[d.length];
      for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
      return f;
    }
  }

  /** A layer that has weights, as the file lists it. */
  record Layer(String name, List<Weight> weights) {
    /** The layer's type, judged by its weights (names can be chosen freely), or null if none fits. */
    KerasLayout.Type type() {
      var roles = weights.stream().map(Weight::role).toList();
      for (var type : KerasLayout.Type.values()) {
        if (roles.size() == type.roles.size() && Set.copyOf(roles).equals(Set.copyOf(type.roles))) {
          if (type == KerasLayout.Type.BATCH_NORM) return type;
          int kernelRank = weights.stream().filter(w -> w.role().equals("kernel")).findFirst().orElseThrow().shape().length;
          if (kernelRank == (type == KerasLayout.Type.CONV ? 4 : 2)) return type;
        }
      }
      return null;
    }

    /** Keras' creation-order number in the name: 0 for {@code conv2d}, 3 for {@code conv2d_3}. */
    int creationNumber() {
      Matcher m = NUMBERED.matcher(name);
      return m.matches() ? Integer.parseInt(m.group(2)) : 0;
    }

    Weight weight(String role) {
      return weights.stream().filter(w -> w.role().equals(role)).findFirst().orElse(null);
    }
  }

  private final Path path;
  private final HdfFile hdf;

  private KerasH5File(Path path, HdfFile hdf) {
    this.path = path;
    this.hdf = hdf;
  }

  /**
   * Opens a file; anything that is not an HDF5 file is a one-line error. The file is mapped and jHDF
   * reads it as a buffer: given a path, jHDF allocates on the heap as many bytes as an object header
   * claims to span before it reads them, so a few flipped bits in a header asked for gigabytes. From a
   * buffer it reads slices of the file, and a claim past the file's end fails instead.
   */
  static KerasH5File open(Path path) {
    if (!Files.isRegularFile(path)) {
      throw new UserError(path + " not found; pass the Keras file written by model.save or model.save_weights");
    }
    return open(path, path);
  }

  /**
   * Opens {@code file} but names {@code shownAs} in every message: the archive a temporary copy of a
   * {@code .keras} archive's weights came from.
   */
  static KerasH5File open(Path file, Path shownAs) {
    Path path = shownAs;
    ByteBuffer bytes;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      if (channel.size() > Integer.MAX_VALUE) { // a buffer's limit; a ResNet1202 with Adam's state is about 230 MB
        throw new UserError(path + " is " + (channel.size() >> 20) + " MB, more than any Keras file of a CIFAR ResNet;"
            + " pass the Keras .h5 file written by model.save or model.save_weights");
      }
      bytes = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
    } catch (IOException e) {
      throw new UserError("cannot read " + path + " (" + AtomicFiles.describe(e) + ")", e);
    }
    try {
      return new KerasH5File(path, HdfFile.fromByteBuffer(bytes));
    } catch (HdfException | ArithmeticException | IllegalArgumentException | IllegalStateException
        | BufferUnderflowException e) {
      // Besides its own exception, jHDF's superblock reader lets through what its number reader throws
      // for an address over 2^63 or a field width other than 1, 2, 4 or 8 bytes, an IllegalStateException
      // for an unknown cache type in the root's symbol table entry, and, reading from a buffer, the
      // underflow of a file that ends inside the superblock.
      throw new UserError(path + " is not an HDF5 file (nor a .keras zip archive); pass a Keras file written by"
          + " model.save or model.save_weights");
    }
  }

  /** The weighted layers in the file's order; layers without weights are left out. */
  List<Layer> layers() {
    try {
      Group weights = weightsGroup();
      List<Layer> layers = new ArrayList<>();
      for (String name : strings(weights, "layer_names")) {
        Node node = weights.getChildren().get(name);
        if (!(node instanceof Group group)) {
          throw damaged("it lists layer " + name + " in layer_names but has no group of that name");
        }
        if (group.getChildren().isEmpty()) continue; // no datasets: a layer without weights
        List<Weight> ws = new ArrayList<>();
        for (String weightName : strings(group, "weight_names")) {
          Node d = child(group, weightName);
          if (!(d instanceof Dataset dataset)) {
            throw damaged("layer " + name + " names weight " + weightName + " but holds no such dataset");
          }
          long[] shape = Arrays.stream(dataset.getDimensions()).asLongStream().toArray();
          ws.add(new Weight(role(weightName), shape, dataset, path, name + "/" + weightName));
        }
        if (!ws.isEmpty()) layers.add(new Layer(name, List.copyOf(ws)));
      }
      return layers;
    } catch (HdfException e) {
      throw damaged(String.valueOf(e.getMessage()));
    }
  }

  /** The mean image our own exports store (HWC, 0..1), or null: Keras files have none. */
  float[] meanImage() {
    try {
      if (!(hdf.getChildren().get(MEAN_IMAGE) instanceof Dataset d)) return null;
      if (!Arrays.equals(d.getDimensions(), new int[] {32, 32, 3})) {
        throw damaged("its " + MEAN_IMAGE + " has shape " + Arrays.toString(d.getDimensions()) + ", not [32, 32, 3]");
      }
      return new Weight(MEAN_IMAGE, new long[] {32, 32, 3}, d, path, MEAN_IMAGE).read();
    } catch (HdfException e) {
      throw damaged(String.valueOf(e.getMessage()));
    }
  }

  /** The Keras version that wrote the file, or "unknown". */
  String kerasVersion() {
    try {
      Attribute a = hdf.getAttribute("keras_version");
      return a != null && a.getData() instanceof String s ? s : "unknown";
    } catch (HdfException e) {
      return "unknown";
    }
  }

  /** True for the layout of Keras 2 and tf.keras ({@code layer_names}), false for anything else. */
  boolean hasLegacyLayout() {
    try {
      return hasStrings(hdf, "layer_names")
          || hdf.getChildren().get("model_weights") instanceof Group g && hasStrings(g, "layer_names");
    } catch (HdfException e) {
      throw damaged(String.valueOf(e.getMessage()));
    }
  }

  /** The file as jHDF reads it, for the Keras 3 layout ({@link Keras3Weights}). */
  HdfFile hdf() {
    return hdf;
  }

  /** The file named in messages: the file given, or the archive it came from. */
  Path path() {
    return path;
  }

  /** Whole-model files keep their weights in {@code model_weights}; weights-only files at the root. */
  private Group weightsGroup() {
    if (hasStrings(hdf, "layer_names")) return hdf;
    if (hdf.getChildren().get("model_weights") instanceof Group g && hasStrings(g, "layer_names")) return g;
    throw new UserError(path + " is an HDF5 file but not a Keras model or weights file (it has no layer_names"
        + " attribute, nor the layers group of Keras 3); pass a file written by Keras' model.save or model.save_weights");
  }

  private static boolean hasStrings(Node node, String name) {
    return node.getAttribute(name) != null || node.getAttribute(name + "0") != null;
  }

  /**
   * A string-list attribute. Keras splits one longer than HDF5's 64 KB header limit into
   * {@code name0}, {@code name1}, ...; those are joined.
   */
  private List<String> strings(Node node, String name) {
    if (node.getAttribute(name) != null) return stringsOf(node, name);
    List<String> all = new ArrayList<>();
    for (int i = 0; node.getAttribute(name + i) != null; i++) all.addAll(stringsOf(node, name + i));
    if (all.isEmpty()) throw damaged(node.getPath() + " has no " + name + " attribute");
    return all;
  }

  private List<String> stringsOf(Node node, String name) {
    Attribute a = node.getAttribute(name);
    if (a.isEmpty() || a.getSize() == 0) return List.of();
    Object data = a.getData();
    if (data instanceof String s) return List.of(s);
    if (data instanceof String[] array) return List.of(array);
    throw damaged("attribute " + name + " of " + node.getPath() + " is not a list of names");
  }

  /**
   * The node at a path below a group, or null. Walked name by name: jHDF's getByPath throws for a
   * missing node, and for a file read from a buffer it fails building that exception (it asks for the
   * file's path), with a message that would hide which weight is missing.
   */
  static Node child(Group group, String path) {
    Node node = group;
    for (String name : path.split("/", -1)) {
      if (!(node instanceof Group g)) return null;
      node = g.getChildren().get(name);
    }
    return node;
  }

  /** "conv2d/kernel:0" -> "kernel". */
  private static String role(String weightName) {
    String last = weightName.substring(weightName.lastIndexOf('/') + 1);
    int colon = last.indexOf(':');
    return colon < 0 ? last : last.substring(0, colon);
  }

  UserError damaged(String why) {
    return new UserError(path + " is not a readable Keras file (" + why.replace('\n', ' ') + "); save it again from Keras");
  }

  @Override
  public void close() {
    hdf.close();
  }
}
