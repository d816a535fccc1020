package org.cifarresnet.report;

import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import org.cifarresnet.eval.Evaluation;
import org.cifarresnet.train.EpochStats;

/**
 * One run's report as a single self-contained HTML page: every chart and image is inline (PNG data URIs),
 * there is no script and no link to another host, so the file can be mailed, archived or opened offline.
 *
 * <p>The page is a pure function of {@link ReportData}: the training listener and the {@code report}
 * command gather the data, this class only draws. Each section has a stable id ({@link #SECTIONS}).
 */
public final class HtmlReport {
  /** The ids of the page's sections, in page order; {@code progress} appears only while a run is unfinished. */
  public static final List<String> SECTIONS = List.of(
      "progress", "curves", "lr", "speed", "confusion", "per-class", "mistakes", "samples", "settings", "history");

  /** The page's name in a run directory. */
  public static final String FILE_NAME = "report.html";

  /** A page of a run still training reloads itself this often, to show the epochs that finish meanwhile. */
  static final int REFRESH_SECONDS = 60;

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm xxx", Locale.ROOT);

  private HtmlReport() {}

  public static String render(ReportData d) {
    StringBuilder out = new StringBuilder(1 << 20);
    boolean running = d.live() && !d.finished();
    Html.openPage(out, d.title() + " – cifar-resnet report", running ? REFRESH_SECONDS : 0);
    header(out, d);
    if (!d.finished()) progress(out, d);
    trainingSections(out, d.history());
    testSections(out, d);
    settings(out, d);
    history(out, d.history());
    out.append("<footer>Made by cifar-resnet at ").append(Html.esc(d.generatedAt().format(TIME)))
        .append(running ? "; this page reloads itself every " + REFRESH_SECONDS + " s while the run trains" : "")
        .append(". Everything is inside this file: it opens offline.</footer>\n");
    Html.closePage(out);
    return out.toString();
  }

  private static void header(StringBuilder out, ReportData d) {
    out.append("<header><h1>").append(Html.esc(d.title())).append("</h1>\n<p class=\"subtitle\">");
    if (d.manifest() != null) {
      var c = d.manifest().config();
      out.append(Html.esc(String.format(Locale.ROOT, "ResNet%d v1 · preset %s · batch %d · base learning rate %s · %s",
          c.model().depth(), c.preset(), c.training().batchSize(), HistoryCsv.formatExact(c.optimizer().lr()),
          c.data().augment() ? "augmented" : "no augmentation")));
    }
    out.append(d.finished() ? " · finished" : String.format(Locale.ROOT, " · epoch %d of %d", d.epochsDone(), d.epochsPlanned()))
        .append("</p>\n<div class=\"tiles\">\n");
    EpochStats best = d.best();
    if (best != null) {
      EpochStats last = d.history().get(d.history().size() - 1);
      tile(out, Html.percent(best.valAcc()), "best test accuracy (epoch " + best.epoch() + ")");
      tile(out, Html.percent(last.valAcc()), "test accuracy at epoch " + last.epoch());
      tile(out, d.epochsDone() + " / " + d.epochsPlanned(), "epochs");
      tile(out, Html.duration(d.trainingSeconds()), "training time");
      tile(out, Html.fixed(last.imagesPerSecond(), 0), "training images per second");
    } else {
      tile(out, "0 / " + d.epochsPlanned(), "epochs: the first one is training");
    }
    out.append("</div>\n</header>\n<nav>");
    for (String id : SECTIONS) {
      if (id.equals("progress") && d.finished()) continue;
      out.append("<a href=\"#").append(id).append("\">").append(id.replace('-', ' ')).append("</a>");
    }
    out.append("</nav>\n");
  }

  private static void tile(StringBuilder out, String value, String label) {
    out.append("<div class=\"tile\"><div class=\"value\">").append(Html.esc(value)).append("</div><div class=\"label\">")
        .append(Html.esc(label)).append("</div></div>\n");
  }

  private static void progress(StringBuilder out, ReportData d) {
    Html.openSection(out, "progress", "Progress");
    out.append(String.format(Locale.ROOT, "<p><progress value=\"%d\" max=\"%d\"></progress> %d of %d epochs (%.0f %%)</p>\n",
        d.epochsDone(), d.epochsPlanned(), d.epochsDone(), d.epochsPlanned(), 100.0 * d.epochsDone() / d.epochsPlanned()));
    double eta = d.etaSeconds();
    if (Double.isFinite(eta)) {
      int window = Math.min(ReportData.ETA_WINDOW, d.history().size());
      out.append("<p>").append(d.live() ? "" : "If the run is still training: ")
          .append("about <b>").append(Html.duration(eta)).append("</b> to go at the last ").append(window)
          .append(window == 1 ? " epoch's" : " epochs'").append(" pace, finishing around <b>")
          .append(Html.esc(d.generatedAt().plusSeconds(Math.round(eta)).truncatedTo(ChronoUnit.MINUTES).format(TIME)))
          .append("</b>.</p>\n");
    } else {
      Html.note(out, "No epoch has finished yet: the time to go shows after the first one.");
    }
    if (!d.live()) {
      Html.note(out, "If it has stopped, 'cifar-resnet resume' on its run directory continues it.");
    }
    Html.closeSection(out);
  }

  private static void trainingSections(StringBuilder out, List<EpochStats> history) {
    String none = "No epoch has finished yet; this section fills in after the first one.";
    Html.openSection(out, "curves", "Loss and accuracy");
    if (history.isEmpty()) Html.note(out, none);
    else Html.chart(out, ReportCharts.curves(history), "loss and accuracy per epoch, training and test", CurvesChart.WIDTH);
    Html.closeSection(out);

    Html.openSection(out, "lr", "Learning rate");
    if (history.isEmpty()) Html.note(out, none);
    else Html.chart(out, ReportCharts.learningRate(history), "learning rate per epoch", 800);
    Html.closeSection(out);

    Html.openSection(out, "speed", "Speed");
    if (history.isEmpty()) {
      Html.note(out, none);
    } else {
      Html.chart(out, ReportCharts.speed(history), "seconds per epoch and training images per second", 1200);
      Html.note(out, "Epoch time includes the test-set evaluation; images per second counts the training phase only.");
    }
    Html.closeSection(out);
  }

  private static void testSections(StringBuilder out, ReportData d) {
    ReportData.TestView t = d.test();
    String missing = d.testNote() != null ? d.testNote() : "No test-set results for this run.";
    Html.openSection(out, "confusion", "Confusion matrix");
    if (t == null) {
      Html.note(out, missing);
    } else {
      Evaluation e = t.evaluation();
      out.append("<p>").append(Html.esc(t.model())).append(": test accuracy <b>").append(Html.percent(e.accuracy()))
          .append("</b>, loss ").append(Html.fixed(e.loss(), 4)).append(", on ").append(String.format(Locale.ROOT, "%,d", e.count()))
          .append(" test images");
      if (t.flipAccuracy() != null) {
        out.append(" (<b>").append(Html.percent(t.flipAccuracy()))
            .append("</b> with test-time augmentation: each image's plain and mirrored views averaged; the figures below are the plain view's)");
      }
      out.append(". Rows: the true class; columns: the class predicted.</p>\n");
      ConfusionTable.append(out, e.confusion(), e.classNames());
    }
    Html.closeSection(out);

    Html.openSection(out, "per-class", "Accuracy per class");
    if (t == null) Html.note(out, missing);
    else perClass(out, t.evaluation());
    Html.closeSection(out);

    Html.openSection(out, "mistakes", "Most confident mistakes");
    if (t == null) {
      Html.note(out, missing);
    } else {
      var mistakes = ExampleGrid.mistakes(t.evaluation(), t.images(), ExampleGrid.SIZE);
      out.append("<p>The wrong predictions the model was surest of, surest first. Each shows the class predicted, its "
          + "probability and the true class; rest the pointer on an image for its top three classes.</p>\n");
      if (mistakes.isEmpty()) Html.note(out, "The model classifies every test image right.");
      else ExampleGrid.append(out, mistakes, t.evaluation(), t.images());
    }
    Html.closeSection(out);

    Html.openSection(out, "samples", "Random test images");
    if (t == null) {
      Html.note(out, missing);
    } else {
      out.append("<p>Test images drawn at random, the same ones at every epoch of this run. ✓ and a solid blue frame: "
          + "right; ✗ and a dashed orange frame: wrong.</p>\n");
      ExampleGrid.append(out, ExampleGrid.sample(t.evaluation(), t.images(), t.sampleSeed(), ExampleGrid.SIZE),
          t.evaluation(), t.images());
    }
    Html.closeSection(out);
  }

  private static void perClass(StringBuilder out, Evaluation e) {
    double[] acc = e.perClassAccuracy();
    List<String> names = e.classNames();
    out.append("<div class=\"cols\">\n");
    Html.chart(out, ReportCharts.perClass(names, acc), "test accuracy per class", ReportCharts.PANEL_WIDTH + 40);
    out.append("<table>\n<tr><th>class</th><th class=\"num\">accuracy</th><th class=\"num\">right</th>"
        + "<th>most often taken for</th></tr>\n");
    int[][] m = e.confusion();
    for (int c = 0; c < names.size(); c++) {
      int total = 0;
      int other = -1;
      for (int p = 0; p < m[c].length; p++) {
        total += m[c][p];
        if (p != c && m[c][p] > 0 && (other < 0 || m[c][p] > m[c][other])) other = p;
      }
      out.append("<tr><td>").append(Html.esc(names.get(c))).append("</td><td class=\"num\">").append(Html.percent(acc[c]))
          .append("</td><td class=\"num\">").append(m[c][c]).append(" / ").append(total).append("</td><td>")
          .append(other < 0 ? "–" : Html.esc(names.get(other)) + " (" + m[c][other] + ")").append("</td></tr>\n");
    }
    out.append("</table>\n</div>\n");
  }

  private static void settings(StringBuilder out, ReportData d) {
    Html.openSection(out, "settings", "Settings and environment");
    if (d.manifest() == null) {
      Html.note(out, "The run directory has no config.json, so its settings are unknown.");
    } else {
      out.append("<div class=\"cols\">\n");
      SettingsTable.append(out, "Settings", SettingsTable.settings(d.manifest()));
      SettingsTable.append(out, "Environment", SettingsTable.environment(d.manifest()));
      out.append("</div>\n");
    }
    Html.closeSection(out);
  }

  private static void history(StringBuilder out, List<EpochStats> history) {
    List<HistoryCsv.OptionalColumn> optional = HistoryCsv.OptionalColumn.recordedIn(history);
    Html.openSection(out, "history", "Every epoch");
    out.append("<details><summary>").append(history.size()).append(history.size() == 1 ? " epoch" : " epochs")
        .append(" (the rows of history.csv)</summary>\n<table>\n<tr>");
    for (String h : HistoryCsv.HEADER.split(",")) out.append("<th class=\"num\">").append(h).append("</th>");
    for (var c : optional) out.append("<th class=\"num\">").append(c.header).append("</th>");
    out.append("</tr>\n");
    for (EpochStats s : history) {
      out.append("<tr><td class=\"num\">").append(s.epoch()).append("</td><td class=\"num\">").append(HistoryCsv.formatExact(s.lr()));
      for (double v : new double[] {s.loss(), s.acc(), s.valLoss(), s.valAcc()}) {
        out.append("</td><td class=\"num\">").append(Html.fixed(v, 4));
      }
      out.append("</td><td class=\"num\">").append(Html.fixed(s.seconds(), 1)).append("</td><td class=\"num\">")
          .append(Html.fixed(s.imagesPerSecond(), 0));
      for (var c : optional) {
        Double v = c.of(s);
        out.append("</td><td class=\"num\">").append(v == null ? "" : Html.fixed(v, 4));
      }
      out.append("</td></tr>\n");
    }
    out.append("</table>\n</details>\n");
    Html.closeSection(out);
  }
}
