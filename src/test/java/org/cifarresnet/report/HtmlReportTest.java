package org.cifarresnet.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cifarresnet.train.EpochStats;
import org.junit.jupiter.api.Test;

class HtmlReportTest {
  @Test
  void anUnfinishedRunHasEverySectionInOrderWithChartsAndExamples() {
    String page = HtmlReport.render(ReportFixtures.data(7, 50, 500, ReportFixtures.CLASSES));
    int last = -1;
    for (String id : HtmlReport.SECTIONS) {
      int at = page.indexOf("<section id=\"" + id + "\">");
      assertTrue(at > last, "section " + id + " is missing or out of order");
      last = at;
    }
    // curves, learning rate, speed and per-class accuracy are charts; 2 x 20 example thumbnails.
    assertEquals(4, count(page, "<img class=\"chart\" src=\"data:image/png;base64,"));
    assertEquals(2 * ExampleGrid.SIZE, count(page, "<figure "));
    assertTrue(page.contains("<progress value=\"7\" max=\"50\">"), "progress bar");
    assertTrue(page.contains("http-equiv=\"refresh\""), "a live page reloads itself");
    for (String c : ReportFixtures.CLASSES) assertTrue(page.contains(">" + c + "<"), c + " is named");
    assertTrue(page.contains("f9a8") || page.contains("abab"), "the dataset checksum is shown");
    assertTrue(page.contains("Test CPU") && page.contains("FP32") && page.contains("2.18.0"), "the environment is shown");
  }

  @Test
  void aFinishedRunHasNoProgressAndDoesNotReload() {
    String page = HtmlReport.render(ReportFixtures.data(50, 50, 200, ReportFixtures.CLASSES));
    assertFalse(page.contains("id=\"progress\""));
    assertFalse(page.contains("http-equiv=\"refresh\""));
    assertTrue(page.contains("finished"));
  }

  @Test
  void pageIsSelfContained() {
    String page = HtmlReport.render(ReportFixtures.data(3, 10, 100, ReportFixtures.CLASSES));
    assertFalse(page.contains("http://"), "no http reference");
    assertFalse(page.contains("https://"), "no https reference");
    assertFalse(page.contains("<script"), "no script");
    assertFalse(page.contains("<link"), "no linked style sheet");
    // Every image is inline.
    Matcher src = Pattern.compile("src=\"([^\"]*)\"").matcher(page);
    while (src.find()) assertTrue(src.group(1).startsWith("data:image/png;base64,"), src.group(1));
  }

  @Test
  void hostileNamesAreEscaped() {
    String evil = "<script>alert('x')</script>";
    var d = ReportFixtures.data(3, 10, 100, ReportFixtures.renamed(evil));
    var hostile = new ReportData("run <b>&\"", d.history(), d.manifest(), d.test(), null, 10, true, d.generatedAt());
    String page = HtmlReport.render(hostile);
    assertFalse(page.contains("<script"), "a class name cannot inject a script");
    assertFalse(page.contains("<b>&"), "a run name cannot inject markup");
    assertTrue(page.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"));
    assertTrue(page.contains("run &lt;b&gt;&amp;&quot;"));
  }

  @Test
  void withoutTestResultsTheSectionsSayWhy() {
    var d = new ReportData("r", ReportFixtures.history(4), null, null, "no checkpoint yet", 4, false, ReportFixtures.NOON);
    String page = HtmlReport.render(d);
    for (String id : List.of("confusion", "per-class", "mistakes", "samples", "settings")) {
      assertTrue(page.contains("<section id=\"" + id + "\">"), id);
    }
    assertEquals(4, count(page, "no checkpoint yet"), "confusion, per-class, mistakes and samples explain");
    assertTrue(page.contains("has no config.json"));
    assertEquals(3, count(page, "<img class=\"chart\""), "curves, lr and speed still show");
  }

  @Test
  void theOptionalColumnsAppearInTheEpochTableOnlyWhenRecorded() {
    List<EpochStats> plain = ReportFixtures.history(3);
    String without = HtmlReport.render(new ReportData("r", plain, null, null, "none", 3, false, ReportFixtures.NOON));
    assertFalse(without.contains("val_acc_tta") || without.contains("val_acc_no_ema"));
    List<EpochStats> extras = new ArrayList<>();
    for (EpochStats s : plain) extras.add(s.withExtras(0.5 + s.epoch() / 100.0, 0.25));
    String with = HtmlReport.render(new ReportData("r", extras, null, null, "none", 3, false, ReportFixtures.NOON));
    assertTrue(with.contains("<th class=\"num\">val_acc_tta</th><th class=\"num\">val_acc_no_ema</th></tr>"), "headers");
    assertTrue(with.contains("<td class=\"num\">0.5300</td><td class=\"num\">0.2500</td></tr>"), "epoch 3's values end its row");
  }

  @Test
  void aRunWithoutAFinishedEpochStillRenders() {
    var d = new ReportData("r", List.of(), ReportFixtures.manifest(), null, "after the first epoch", 50, true, ReportFixtures.NOON);
    String page = HtmlReport.render(d);
    assertTrue(page.contains("<progress value=\"0\" max=\"50\">"));
    assertEquals(0, count(page, "<img"));
  }

  @Test
  void etaAveragesTheLastEpochs() {
    List<EpochStats> rows = List.of(
        new EpochStats(1, 1e-3, 1, 0.5, 1, 0.5, 100, 500), new EpochStats(2, 1e-3, 1, 0.5, 1, 0.5, 60, 800),
        new EpochStats(3, 1e-3, 1, 0.5, 1, 0.5, 60, 800), new EpochStats(4, 1e-3, 1, 0.5, 1, 0.5, 60, 800),
        new EpochStats(5, 1e-3, 1, 0.5, 1, 0.5, 60, 800), new EpochStats(6, 1e-3, 1, 0.5, 1, 0.5, 60, 800));
    var d = new ReportData("r", rows, null, null, null, 10, true, ReportFixtures.NOON);
    assertEquals(4 * 60, d.etaSeconds(), 1e-9, "the slow first epoch has left the window");
    assertTrue(HtmlReport.render(d).contains("about <b>4 min</b> to go"), "the page says it");
  }

  @Test
  void mistakesAreTheMostConfidentWrongPredictionsFirst() {
    var images = ReportFixtures.images(300, 5);
    var e = ReportFixtures.evaluation(images, ReportFixtures.CLASSES, 0.5, 6);
    var mistakes = ExampleGrid.mistakes(e, images, 10);
    assertEquals(10, mistakes.size());
    float worstShown = mistakes.get(mistakes.size() - 1).confidence();
    for (int i = 0; i < mistakes.size(); i++) {
      assertFalse(mistakes.get(i).right());
      if (i > 0) assertTrue(mistakes.get(i - 1).confidence() >= mistakes.get(i).confidence(), "sorted");
    }
    for (int i = 0; i < images.size(); i++) {
      var x = ExampleGrid.example(e, images, i);
      if (!x.right() && !mistakes.contains(x)) assertTrue(x.confidence() <= worstShown, "a surer mistake was left out: " + x);
    }
  }

  @Test
  void theRandomSampleIsFixedBySeed() {
    var images = ReportFixtures.images(1000, 5);
    var e = ReportFixtures.evaluation(images, ReportFixtures.CLASSES, 0.5, 6);
    var other = ReportFixtures.evaluation(images, ReportFixtures.CLASSES, 0.9, 7);
    List<Integer> a = ExampleGrid.sample(e, images, 1, 20).stream().map(ExampleGrid.Example::index).toList();
    List<Integer> b = ExampleGrid.sample(other, images, 1, 20).stream().map(ExampleGrid.Example::index).toList();
    List<Integer> c = ExampleGrid.sample(e, images, 2, 20).stream().map(ExampleGrid.Example::index).toList();
    assertEquals(a, b, "another epoch of the same run shows the same images");
    assertEquals(20, a.stream().distinct().count());
    assertFalse(a.equals(c), "another seed draws others");
    assertEquals(5, ExampleGrid.sample(e, ReportFixtures.images(5, 1), 1, 20).size(), "a small set is shown whole");
  }

  @Test
  void aScheduleThatFallsToZeroStillHasALearningRateChart() {
    List<EpochStats> rows = new ArrayList<>();
    for (int e = 1; e <= 30; e++) {
      double lr = e <= 2 ? 0.05 * e : 0.1 * (30 - e) / 28.0; // warm-up, then a linear fall to 0
      rows.add(new EpochStats(e, lr, 1, 0.5, 1, 0.5, 60, 800));
    }
    assertTrue(ReportCharts.learningRate(rows).startsWith("data:image/png;base64,"));
  }

  @Test
  void confusionColoursRunFromDarkToLightWithReadableText() {
    assertEquals(0x440154, ConfusionTable.colour(0));
    assertEquals(0xFDE725, ConfusionTable.colour(1));
    assertTrue(ConfusionTable.luminance(ConfusionTable.colour(0)) < ConfusionTable.luminance(ConfusionTable.colour(0.5)));
    assertTrue(ConfusionTable.luminance(ConfusionTable.colour(0.5)) < ConfusionTable.luminance(ConfusionTable.colour(1)));
  }

  static int count(String text, String part) {
    int n = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) n++;
    return n;
  }
}
