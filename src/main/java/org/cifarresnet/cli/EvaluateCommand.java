package org.cifarresnet.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cifarresnet.checkpoint.CheckpointInfo;
import org.cifarresnet.data.CifarDataset;
import org.cifarresnet.eval.Evaluation;
import org.cifarresnet.eval.Evaluator;
import org.cifarresnet.eval.ModelLoader;
import org.cifarresnet.platform.Device;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code evaluate}: test loss, accuracy, per-class accuracy and the confusion matrix of a checkpoint. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Evaluate a run's best checkpoint (or a given checkpoint) on the CIFAR-10 test set.")
final class EvaluateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RUN_DIR|CHECKPOINT", description = "a run directory or a .npz checkpoint")
  Path model;

  @Option(names = "--data", paramLabel = "PATH", description = "the data (default: the run's own, else the cached download)")
  Path data;

  @Option(names = "--precision", paramLabel = "P",
      description = "fp32, bf16 or auto (bf16 where the CPU has it and it passes a short check); default: the run's own, as its history was measured")
  String precision;

  @Option(names = "--tta", description = "test-time augmentation: average each image's plain and mirrored views;"
      + " prints the plain view's accuracy too")
  boolean tta;

  @Mixin ThreadsOption threads;

  @Mixin DeviceOption device;

  @Override
  public Integer call() {
    var p = precision == null ? null : TrainCommand.parsePrecision(spec, precision);
    Device on = device.resolve();
    if (p != null) TrainCommand.resolvePrecision(spec, p, on); // bf16 on a GPU: refused before the checkpoint is read
    PrintWriter out = spec.commandLine().getOut();
    try (var loaded = ModelLoader.load(model, p, threads.get(), on)) {
      CheckpointInfo info = loaded.checkpoint().info();
      Path source = DataOption.givenOrRunOwn(data, info);
      CifarDataset dataset = DataOption.load(source, out, spec.commandLine().getErr());
      Evaluation e;
      Evaluation plain = null;
      try (var evaluator = new Evaluator(dataset.test(), dataset.classNames(), 1000)) {
        if (tta) {
          var views = evaluator.evaluateBothViews(loaded.model());
          plain = views.plain();
          e = views.flipAveraged();
        } else {
          e = evaluator.evaluate(loaded.model());
        }
      }
      out.printf(Locale.ROOT, "checkpoint %s (%s, epoch %d, ResNet%d v1), evaluated in %s on the %s%n",
          loaded.file(), info.kind(), info.state().epochsDone(), info.config().model().depth(),
          loaded.precision().name().toLowerCase(Locale.ROOT), on.label());
      if (plain != null) {
        out.printf(Locale.ROOT, "plain view: test loss %.4f  accuracy %.4f; with --tta (plain and mirrored views"
            + " averaged, below): accuracy %.4f, %+.2f points%n", plain.loss(), plain.accuracy(), e.accuracy(),
            100 * (e.accuracy() - plain.accuracy()));
      }
      out.print(format(e));
      out.flush();
    }
    return 0;
  }

  static String format(Evaluation e) {
    var s = new StringBuilder();
    int correct = (int) Math.round(e.accuracy() * e.count());
    s.append(String.format(Locale.ROOT, "test loss %.4f  accuracy %.4f (%,d / %,d)%n%n", e.loss(), e.accuracy(), correct, e.count()));
    s.append(String.format(Locale.ROOT, "%-12s %8s%n", "class", "accuracy"));
    double[] perClass = e.perClassAccuracy();
    for (int c = 0; c < perClass.length; c++) {
      s.append(String.format(Locale.ROOT, "%-12s %8.4f%n", e.classNames().get(c), perClass[c]));
    }
    s.append(String.format(Locale.ROOT, "%nconfusion matrix (rows: true class, columns: predicted)%n%-12s", ""));
    for (String name : e.classNames()) s.append(String.format(Locale.ROOT, " %6.6s", name));
    s.append('\n');
    for (int t = 0; t < e.confusion().length; t++) {
      s.append(String.format(Locale.ROOT, "%-12s", e.classNames().get(t)));
      for (int n : e.confusion()[t]) s.append(String.format(Locale.ROOT, " %6d", n));
      s.append('\n');
    }
    return s.toString();
  }
}
