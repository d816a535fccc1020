package org.cifarresnet.eval;

import java.nio.file.Path;
import org.cifarresnet.checkpoint.Checkpoint;
import org.cifarresnet.checkpoint.RunDirectory;
import org.cifarresnet.config.Precision;
import org.cifarresnet.model.CifarModel;
import org.cifarresnet.platform.Device;

/** Rebuilds an inference model from a checkpoint: the network its settings describe, with its weights. */
public final class ModelLoader {
  private ModelLoader() {}

  /**
   * A checkpoint and the inference model made from it; close to free the model.
   *
   * @param precision the precision the model runs in, resolved (fp32 or bf16)
   */
  public record Loaded(Path file, Checkpoint checkpoint, CifarModel model, Precision precision) implements AutoCloseable {
    @Override
    public void close() {
      model.close();
    }
  }

  /**
   * @param path a run directory (its best checkpoint) or a checkpoint file
   * @param precision null for the precision the run trained and measured its history with, so that
   *     its figures are reproduced
   */
  public static Loaded load(Path path, Precision precision, int threads) {
    return load(path, precision, threads, Device.CPU);
  }

  /**
   * @param device CPU or GPU, resolved; on a GPU the run's own precision, if bf16, becomes fp32
   *     (bf16 is a CPU rewrite), and an asked-for bf16 is refused
   */
  public static Loaded load(Path path, Precision precision, int threads, Device device) {
    Path file = RunDirectory.checkpointOf(path);
    Checkpoint checkpoint = Checkpoint.load(file);
    var config = checkpoint.info().config();
    Precision used = precision != null ? precision.resolve(device)
        : device == Device.GPU ? Precision.FP32 : config.training().precision().resolve();
    used.verified(); // bf16 where it computes wrongly: a one-line error that names --precision fp32
    CifarModel model = new CifarModel(config.model(), null, config.training().seed(), used, threads, 0, device);
    try {
      checkpoint.restoreInto(model);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
    return new Loaded(file, checkpoint, model, used);
  }
}
