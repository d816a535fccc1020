package org.cifarresnet.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cifarresnet.interop.ModelExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code export}: a run's model as a Keras weights file or a TensorFlow SavedModel. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Write a run's best checkpoint (or a given checkpoint) as Keras weights (.h5) or a TensorFlow SavedModel.")
final class ExportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RUN_DIR|CHECKPOINT", description = "a run directory or a .npz checkpoint")
  Path model;

  @Option(names = "--format", required = true, paramLabel = "F",
      description = "keras-h5 (for Keras' model.load_weights; the mean image rides along as dataset mean_image)"
          + " or savedmodel (a directory; signature serving_default: float32 images [N,32,32,3] in 0..255 -> probabilities)")
  String format;

  @Option(names = "--out", required = true, paramLabel = "PATH", description = "the .h5 file, or the SavedModel directory (must not exist or be empty)")
  Path out;

  @Override
  public Integer call() {
    ModelExport.Format f;
    try {
      f = ModelExport.Format.parse(format);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    var checkpoint = ModelExport.export(model, f, out);
    int depth = checkpoint.info().config().model().depth();
    if (f == ModelExport.Format.KERAS_H5) {
      spec.commandLine().getOut().println("wrote " + out + ": Keras weights of ResNet" + depth + " v1 for model.load_weights on the"
          + " cifar10_resnet example's resnet_v1(depth=" + depth + "); feed it x / 255 - f['mean_image'] (see README)");
    } else {
      spec.commandLine().getOut().println("wrote " + out + ": SavedModel of ResNet" + depth + " v1, tag 'serve', signature 'serving_default':"
          + " images float32 [N,32,32,3] in 0..255 -> probabilities [N,10]");
    }
    return 0;
  }
}
