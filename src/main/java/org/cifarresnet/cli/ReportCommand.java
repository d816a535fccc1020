package org.cifarresnet.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.cifarresnet.checkpoint.CheckpointInfo;
import org.cifarresnet.checkpoint.RunDirectory;
import org.cifarresnet.checkpoint.RunManifest;
import org.cifarresnet.data.CifarDataset;
import org.cifarresnet.eval.Evaluation;
import org.cifarresnet.eval.Evaluator;
import org.cifarresnet.eval.ModelLoader;
import org.cifarresnet.report.CompareReport;
import org.cifarresnet.report.HistoryCsv;
import org.cifarresnet.report.HtmlReport;
import org.cifarresnet.report.ReportData;
import org.cifarresnet.train.EpochStats;
import org.cifarresnet.util.AtomicFiles;
import org.cifarresnet.util.UserError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code report}: a run's self-contained {@code report.html}, or one page comparing several runs.
 *
 * <p>For one run the test-set sections come from its best checkpoint, evaluated afresh on the test set,
 * plain and with test-time augmentation by flip (about 30 s with reading the data, on two busy cores); without a checkpoint or without the data the page shows the
 * training curves and settings and says what is missing.
 */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Write a run's report.html (curves, confusion matrix, example predictions, settings), "
        + "or one page comparing several runs.")
final class ReportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "RUN_DIR", description = "one run directory, or several to compare")
  List<Path> dirs;

  @Option(names = "--out", paramLabel = "FILE",
      description = "the page to write (default: RUN_DIR/report.html for one run, compare.html for several)")
  Path out;

  @Option(names = "--data", paramLabel = "PATH", description = "the test data (default: the run's own, as config.json names it)")
  Path data;

  @Mixin ThreadsOption threads;

  @Override
  public Integer call() {
    List<RunDirectory> runs = new ArrayList<>();
    List<List<EpochStats>> histories = new ArrayList<>();
    for (Path dir : dirs) {
      if (!Files.isDirectory(dir)) {
        throw new UserError("run directory " + dir + " not found; pass the --out directory of a train run");
      }
      RunDirectory run = new RunDirectory(dir);
      if (!Files.isRegularFile(run.history())) {
        throw new UserError(dir + " has no " + HistoryCsv.FILE_NAME
            + "; pass the directory of a training run that has finished at least one epoch");
      }
      runs.add(run);
      histories.add(HistoryCsv.read(run.history()));
    }
    OffsetDateTime now = OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS);
    Path page;
    if (runs.size() == 1) {
      page = out != null ? out : runs.get(0).root().resolve(HtmlReport.FILE_NAME);
      AtomicFiles.writeString(page, HtmlReport.render(single(runs.get(0), histories.get(0), data, threads.get(), now, spec.commandLine().getOut(), spec.commandLine().getErr())));
    } else {
      page = out != null ? out : Path.of("compare.html");
      AtomicFiles.writeString(page, CompareReport.render(compared(runs, histories, page), now));
    }
    spec.commandLine().getOut().println("wrote " + page);
    return 0;
  }

  /**
   * Rewrites a finished run's report.html from its best checkpoint, with the flip figure that the
   * page written during training lacks; train calls this after the last epoch. Returns that figure.
   *
   * @param out the command's console, for notes about the data
   * @param err its error writer
   */
  static Double rewriteFinished(RunDirectory run, int threads, PrintWriter out, PrintWriter err) {
    ReportData d = single(run, HistoryCsv.read(run.history()), null, threads, OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS), out, err);
    AtomicFiles.writeString(run.root().resolve(HtmlReport.FILE_NAME), HtmlReport.render(d));
    return d.test() == null ? null : d.test().flipAccuracy();
  }

  private static ReportData single(
      RunDirectory run, List<EpochStats> history, Path data, int threads, OffsetDateTime now, PrintWriter out,
      PrintWriter err) {
    RunManifest manifest = Files.isRegularFile(run.config()) ? RunManifest.read(run.config()) : null;
    int planned = manifest != null ? manifest.config().training().epochs() : history.size();
    String name = name(run.root());
    if (!Files.isRegularFile(run.best()) && !Files.isRegularFile(run.last())) {
      return new ReportData(name, history, manifest, null,
          "The run has no checkpoint yet (checkpoints/best.npz), so there are no test-set results to show.", planned, false, now);
    }
    try (var loaded = ModelLoader.load(run.root(), null, threads)) {
      CheckpointInfo info = loaded.checkpoint().info();
      // A resumed run may train longer than config.json says; its checkpoints hold the current setting.
      planned = Math.max(planned, info.config().training().epochs());
      Path source = DataOption.givenOrRunOwn(data, info);
      if (source == null) {
        String where = info.dataset() == null ? "the run's data" : info.dataset().source();
        out.println("note: " + where + " not found; the page has no test-set results; pass --data PATH to add them");
        return new ReportData(name, history, manifest, null,
            "The test data (" + where + ") was not found when this page was made; run 'cifar-resnet report " + run.root()
                + " --data PATH' to add the confusion matrix and example predictions.", planned, false, now);
      }
      CifarDataset dataset = DataOption.load(source, out, err);
      if (info.dataset() != null && !dataset.sha256().equals(info.dataset().sha256())) {
        out.println("warning: the data's checksum differs from the run's; the test results are on the new data");
      }
      Evaluation evaluation;
      Evaluation withFlip;
      try (var evaluator = new Evaluator(dataset.test(), dataset.classNames(), 1000)) {
        evaluation = evaluator.evaluate(loaded.model());
        withFlip = evaluator.evaluate(loaded.model(), true);
      }
      String model = ("best".equals(info.kind()) ? "The best checkpoint" : "The last checkpoint") + ", after epoch "
          + info.state().epochsDone();
      var view = new ReportData.TestView(
          evaluation, dataset.test(), model, info.config().training().seed(), withFlip.accuracy());
      return new ReportData(name, history, manifest, view, null, planned, false, now);
    }
  }

  private static List<CompareReport.Run> compared(List<RunDirectory> runs, List<List<EpochStats>> histories, Path page) {
    List<String> names = runs.stream().map(r -> name(r.root())).toList();
    List<CompareReport.Run> result = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      RunDirectory run = runs.get(i);
      // Two runs called alike (a/run, b/run) are told apart by the paths as given.
      String name = names.stream().filter(names.get(i)::equals).count() > 1 ? run.root().toString() : names.get(i);
      Path report = run.root().resolve(HtmlReport.FILE_NAME);
      String link = null;
      if (Files.isRegularFile(report)) {
        Path from = page.toAbsolutePath().normalize().getParent();
        link = from.relativize(report.toAbsolutePath().normalize()).toString().replace('\\', '/');
      }
      RunManifest manifest = Files.isRegularFile(run.config()) ? RunManifest.read(run.config()) : null;
      result.add(new CompareReport.Run(name, link, histories.get(i), manifest));
    }
    return result;
  }

  private static String name(Path dir) {
    Path n = dir.toAbsolutePath().normalize().getFileName();
    return n == null ? dir.toString() : n.toString();
  }
}
