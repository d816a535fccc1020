package org.cifarresnet.checkpoint;

import com.google.gson.JsonParseException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.cifarresnet.model.CifarModel;
import org.cifarresnet.model.Parameter;
import org.cifarresnet.util.AtomicFiles;
import org.cifarresnet.util.RefusedValue;
import org.cifarresnet.util.UserError;

/**
 * A saved model: its {@link CheckpointInfo} and its variables, in one {@code .npz} file (a zip of
 * {@code .npy} arrays plus {@code checkpoint.json}), written atomically. {@code numpy.load} opens it.
 */
public record Checkpoint(CheckpointInfo info, Map<String, Npy.Array> arrays) {
  public static final String INFO_ENTRY = "checkpoint.json";
  /**
   * Largest array, and largest sum of arrays, a checkpoint may hold: protects against zip bombs. The
   * largest array of a CIFAR ResNet is under 1 MB, and ResNet1202 with its optimizer state is 230 MB.
   */
  private static final int MAX_ENTRY_BYTES = 64 << 20;
  private static final long MAX_TOTAL_BYTES = 256L << 20;

  /**
   * Saves the model's variables (all of them, or only what prediction needs) with this info. A model
   * without the optimizer's state is the one that was evaluated: with a weight average, the average.
   */
  public static void save(Path file, CifarModel model, CheckpointInfo info, boolean withOptimizer) {
    List<Parameter> which =
        model.parameters().stream().filter(p -> withOptimizer || p.kind().partOfModel()).toList();
    Map<String, float[]> values = model.read(which);
    if (!withOptimizer) values.putAll(model.averagedWeights());
    AtomicFiles.write(
        file,
        out -> {
          var zip = new ZipOutputStream(out);
          zip.setLevel(1); // float weights barely compress; favour speed
          zip.putNextEntry(new ZipEntry(INFO_ENTRY));
          zip.write(SettingsJson.GSON.toJson(info).getBytes(StandardCharsets.UTF_8));
          zip.closeEntry();
          for (Parameter p : which) {
            zip.putNextEntry(new ZipEntry(p.name() + ".npy"));
            Npy.write(zip, p.shape().asArray(), values.get(p.name()));
            zip.closeEntry();
          }
          zip.finish();
        });
  }

  /**
   * Reads a checkpoint file. What a file can get wrong is checked and reported as a one-line UserError:
   * not a zip, a damaged or oversized entry, an entry name that is not UTF-8, checkpoint.json that is not
   * JSON of the settings or holds values they refuse, an array that is not what {@link Npy} writes, a
   * missing part. Anything else thrown is a bug of ours and goes on as it is.
   */
  public static Checkpoint load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new UserError("checkpoint " + file + " not found; pass a run directory or a .npz checkpoint file");
    }
    CheckpointInfo info = null;
    Map<String, Npy.Array> arrays = new LinkedHashMap<>();
    long total = 0;
    try (var zip = new ZipInputStream(Files.newInputStream(file))) {
      for (ZipEntry e; (e = nextEntry(zip)) != null; ) {
        byte[] bytes = readBounded(zip);
        total += bytes.length;
        if (total > MAX_TOTAL_BYTES) throw new ZipException("its arrays add up to more than any checkpoint's");
        if (e.getName().equals(INFO_ENTRY)) {
          info = SettingsJson.parse(new String(bytes, StandardCharsets.UTF_8), CheckpointInfo.class);
        } else if (e.getName().endsWith(".npy")) {
          arrays.put(e.getName().substring(0, e.getName().length() - 4), Npy.read(bytes));
        }
      }
    } catch (IOException | JsonParseException e) {
      throw corrupt(file, e.getMessage());
    } catch (RefusedValue e) {
      throw corrupt(file, "bad settings in " + INFO_ENTRY + ": " + e.getMessage());
    }
    String missing = missing(info);
    if (missing != null) throw corrupt(file, "it has no " + missing);
    if (arrays.isEmpty()) throw corrupt(file, "it holds no weights");
    return new Checkpoint(info, arrays);
  }

  /**
   * The next entry. The JDK's zip reader throws IllegalArgumentException, not ZipException, for an
   * entry name that is not valid UTF-8 (a damaged header): that one is the file's fault.
   */
  private static ZipEntry nextEntry(ZipInputStream zip) throws IOException {
    try {
      return zip.getNextEntry();
    } catch (IllegalArgumentException e) {
      throw new ZipException("an entry's name is not valid UTF-8");
    }
  }

  /** What evaluate, predict and resume rely on, or null if all is there: a gap would crash them later. */
  private static String missing(CheckpointInfo info) {
    if (info == null) return INFO_ENTRY;
    if (info.config() == null) return "settings";
    if (info.state() == null || info.state().partial() == null || info.state().epochsDone() < 0) return "training state";
    var d = info.dataset();
    if (d == null || d.source() == null || d.sha256() == null || d.classNames() == null
        || d.classNames().size() != info.config().model().classes()) {
      return "description of its data (source, checksum and one name per class)";
    }
    return null;
  }

  private static UserError corrupt(Path file, String why) {
    // Library messages can span lines (Gson adds a troubleshooting link on its own line): keep one.
    String reason = why == null ? "corrupt" : why.replaceAll("\\s+", " ").strip();
    if (reason.length() > 200) reason = reason.substring(0, 197) + "...";
    return new UserError(
        "checkpoint " + file + " is unreadable (" + reason + "); use another checkpoint, e.g. checkpoints/best.npz of the run");
  }

  private static byte[] readBounded(InputStream in) throws IOException {
    var out = new ByteArrayOutputStream();
    byte[] buf = new byte[1 << 16];
    for (int n; (n = in.read(buf)) > 0; ) {
      out.write(buf, 0, n);
      if (out.size() > MAX_ENTRY_BYTES) throw new ZipException("an entry is larger than any checkpoint's");
    }
    return out.toByteArray();
  }

  /**
   * Loads these weights into a model built with the checkpoint's settings. Every model variable must
   * be present with its shape, except the optimizer's state when the checkpoint has none.
   */
  public void restoreInto(CifarModel model) {
    Map<String, float[]> values = new LinkedHashMap<>();
    for (Parameter p : model.parameters()) {
      Npy.Array a = arrays.get(p.name());
      if (a == null) {
        if (p.kind().partOfModel()) {
          throw new UserError("checkpoint lacks variable " + p.name() + "; it was made for another network");
        }
        continue;
      }
      if (!Arrays.equals(a.shape(), p.shape().asArray())) {
        throw new UserError(
            "checkpoint variable " + p.name() + " has shape " + Arrays.toString(a.shape())
                + ", the network expects " + p.shape() + "; it was made for another network");
      }
      values.put(p.name(), a.data());
    }
    model.write(values);
  }

  public boolean hasOptimizerState() {
    return arrays.keySet().stream().anyMatch(n -> n.startsWith("optimizer."));
  }
}
