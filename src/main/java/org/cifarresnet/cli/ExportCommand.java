package org.cifarresnet.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cifarresnet.interop.ModelExport;
import org.cifarresnet.util.RefusedValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code export}: a run's model as a Keras weights file (legacy or Keras 3), a TensorFlow SavedModel or an ONNX model. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Write a run's best checkpoint (or a given checkpoint) as Keras weights (.h5, Keras 3 .weights.h5),"
        + " a TensorFlow SavedModel or an ONNX model.")
final class ExportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RUN_DIR|CHECKPOINT", description = "a run directory or a .npz checkpoint")
  Path model;

  @Option(names = "--format", required = true, paramLabel = "F",
      description = "keras-h5 (for Keras' model.load_weights; the mean image rides along as dataset mean_image),"
          + " keras3-weights (a .weights.h5 for Keras 3's model.load_weights; mean image likewise),"
          + " savedmodel (a directory; signature serving_default: float32 images [N,32,32,3] in 0..255 -> probabilities)"
          + " or onnx (a .onnx file, opset 13: input images, float32 [N,32,32,3] in 0..255 -> probabilities [N,10])")
  String format;

  @Option(names = "--out", required = true, paramLabel = "PATH", description = "the .h5 or .onnx file, or the SavedModel directory (must not exist or be empty)")
  Path out;

  @Option(names = "--force", description = "replace an existing --out file (keras-h5, keras3-weights, onnx); without it an existing file is refused")
  boolean force;

  @Override
  public Integer call() {
    ModelExport.Format f;
    try {
      f = ModelExport.Format.parse(format);
    } catch (RefusedValue e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    if (f == ModelExport.Format.KERAS3_WEIGHTS && !out.getFileName().toString().endsWith(".weights.h5")) {
      throw new ParameterException(spec.commandLine(), "--out must end in .weights.h5 for --format keras3-weights:"
          + " Keras 3's load_weights reads any other name as a legacy .h5 file");
    }
    var checkpoint = ModelExport.export(model, f, out, force);
    int depth = checkpoint.info().config().model().depth();
    PrintWriter console = spec.commandLine().getOut();
    if (f == ModelExport.Format.KERAS_H5) {
      console.println("wrote " + out + ": Keras weights of ResNet" + depth + " v1 for model.load_weights on the"
          + " cifar10_resnet example's resnet_v1(depth=" + depth + "); feed it x / 255 - f['mean_image'] (see README)");
    } else if (f == ModelExport.Format.KERAS3_WEIGHTS) {
      console.println("wrote " + out + ": Keras 3 weights of ResNet" + depth + " v1 for model.load_weights on the"
          + " cifar10_resnet example's resnet_v1(depth=" + depth + ") in Keras 3; feed it x / 255 - f['mean_image'] (see docs/interop.md)");
    } else if (f == ModelExport.Format.ONNX) {
      console.println("wrote " + out + ": ONNX model (opset " + ModelExport.ONNX_OPSET + ") of ResNet" + depth + " v1:"
          + " input 'images' float32 [N,32,32,3] in 0..255 -> 'probabilities' [N,10] (see docs/interop.md)");
    } else {
      console.println("wrote " + out + ": SavedModel of ResNet" + depth + " v1, tag 'serve', signature 'serving_default':"
          + " images float32 [N,32,32,3] in 0..255 -> probabilities [N,10]");
    }
    return 0;
  }
}
