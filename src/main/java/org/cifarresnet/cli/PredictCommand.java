package org.cifarresnet.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.cifarresnet.eval.FlipViews;
import org.cifarresnet.eval.ImageInput;
import org.cifarresnet.eval.ModelLoader;
import org.cifarresnet.platform.Device;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TUint8;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code predict}: the top classes of the user's own pictures. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Classify PNG or JPEG images (any size, scaled to 32x32): the top 3 classes with probabilities.")
final class PredictCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RUN_DIR|CHECKPOINT", description = "a run directory or a .npz checkpoint")
  Path model;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "IMAGE", description = "PNG or JPEG files")
  List<Path> images;

  @Option(names = "--top", paramLabel = "K", defaultValue = "3", description = "classes to show per image; default ${DEFAULT-VALUE}")
  int top;

  @Option(names = "--tta", description = "test-time augmentation: average each image's plain and mirrored views")
  boolean tta;

  @Mixin DeviceOption device;

  @Override
  public Integer call() {
    if (top < 1) throw new ParameterException(spec.commandLine(), "--top must be at least 1, got " + top);
    Device on = device.resolve(); // before reading the images: a missing GPU is the first thing to say
    PrintWriter out = spec.commandLine().getOut();
    byte[] pixels = new byte[images.size() * 32 * 32 * 3];
    for (int i = 0; i < images.size(); i++) ImageInput.read(images.get(i), pixels, i * 32 * 32 * 3);
    Shape shape = Shape.of(images.size(), 32, 32, 3);
    try (var loaded = ModelLoader.load(model, null, 0, on);
        var batch = TUint8.tensorOf(shape, DataBuffers.of(pixels, true, false));
        var mirrored = tta ? TUint8.tensorOf(shape, DataBuffers.of(FlipViews.mirrored(pixels, 0, images.size()), true, false)) : null) {
      List<String> names = loaded.checkpoint().info().dataset().classNames();
      float[] probs = loaded.model().probabilities(batch);
      if (tta) FlipViews.averageInto(probs, loaded.model().probabilities(mirrored));
      int classes = names.size();
      for (int i = 0; i < images.size(); i++) {
        int base = i * classes;
        List<String> best = new ArrayList<>();
        IntStream.range(0, classes).boxed()
            .sorted(Comparator.comparingDouble((Integer c) -> -probs[base + c]))
            .limit(Math.min(top, classes))
            .forEach(c -> best.add(String.format(Locale.ROOT, "%s %.3f", names.get(c), probs[base + c])));
        out.println(images.get(i) + ": " + String.join(", ", best));
      }
    }
    return 0;
  }
}
