package org.cifarresnet.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cifarresnet.checkpoint.CheckpointInfo;
import org.cifarresnet.config.Presets;
import org.cifarresnet.data.CifarDataset;
import org.cifarresnet.interop.KerasImport;
import org.cifarresnet.train.MeanImage;
import org.cifarresnet.util.RefusedValue;
import org.cifarresnet.util.UserError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code import-keras}: a Keras file (.keras, .weights.h5 or legacy .h5) of the cifar10_resnet ResNet
 * v1 as a new run directory.
 * Keras files hold no mean image (the example subtracts the training set's mean outside the model),
 * so it comes from {@code --data} (computed as training does), {@code --mean-image}, or the file
 * itself when our own {@code export} wrote it; without any of them the import stops and says so,
 * rather than guess a mean that would quietly skew every prediction.
 */
@Command(name = "import-keras", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Import a Keras file of the cifar10_resnet ResNet v1 into a new run directory: a Keras 3 .keras archive"
        + " or .weights.h5, or a legacy .h5 (Keras 2, tf.keras: model.save or model.save_weights).")
final class ImportKerasCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "the Keras file: .keras, .weights.h5 or .h5, a whole model or weights only")
  Path file;

  @Option(names = "--out", required = true, paramLabel = "RUN_DIR", description = "the new run directory (must not exist or be empty)")
  Path out;

  @Option(names = "--depth", paramLabel = "N", description = "the depth 6n+2 the file must have (default: the file's own)")
  Integer depth;

  @Option(names = "--data", paramLabel = "PATH",
      description = "the CIFAR-10 archive or folder the model was trained on: its training images give the mean image")
  Path data;

  @Option(names = "--mean-image", paramLabel = "FILE.npy",
      description = "the mean image instead: float32 (32, 32, 3) in 0..1, e.g. np.mean(x_train / 255, axis=0)")
  Path meanImage;

  @Mixin ThreadsOption threads;

  @Override
  public Integer call() {
    if (depth != null) {
      try {
        Presets.keras().model().withDepth(depth);
      } catch (RefusedValue e) {
        throw new ParameterException(spec.commandLine(), "--depth: " + e.getMessage());
      }
    }
    if (data != null && meanImage != null) {
      throw new ParameterException(spec.commandLine(), "give --data or --mean-image, not both");
    }
    KerasImport.checkOut(out);
    KerasImport.Weights weights = KerasImport.read(file, depth);

    float[] mean;
    CheckpointInfo.DatasetInfo dataset;
    String meanFrom;
    if (meanImage != null) {
      mean = KerasImport.meanImageFromNpy(meanImage);
      dataset = KerasImport.noData(meanImage.toString());
      meanFrom = meanImage.toString();
    } else if (data != null) {
      CifarDataset d = DataOption.load(data, spec.commandLine().getOut(), spec.commandLine().getErr());
      mean = MeanImage.of(d.train());
      dataset = RunLauncher.datasetInfo(d, d.train());
      meanFrom = String.format(Locale.ROOT, "the %,d training images of %s", d.train().size(), d.source());
    } else if (weights.embeddedMean() != null) {
      mean = weights.embeddedMean();
      dataset = KerasImport.noData(file + " (written by cifar-resnet export)");
      meanFrom = file + "'s mean_image (written by cifar-resnet export)";
    } else {
      throw new UserError(file + " holds no mean image (Keras files do not: the example subtracts the training set's"
          + " mean outside the model); pass --data with the CIFAR-10 archive the model was trained on, or --mean-image FILE.npy");
    }
    KerasImport.writeRun(out, weights, mean, dataset, threads.get(),
        String.join(" ", spec.commandLine().getParseResult().originalArgs()));
    PrintWriter console = spec.commandLine().getOut();
    console.printf(Locale.ROOT, "imported %s (ResNet%d v1, %d weighted layers, Keras %s) into %s%n",
        file, weights.depth(), weights.layout().layers().size(), weights.kerasVersion(), out);
    console.println("mean image: " + meanFrom);
    console.println("use it: " + Launcher.command() + " evaluate " + out + " | predict " + out + " IMAGE... | resume " + out
        + " (fine-tunes with fresh Adam state from epoch 1)");
    return 0;
  }
}
