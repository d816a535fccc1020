package org.cifarresnet.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.cifarresnet.cli.Cli;
import org.cifarresnet.data.TinyCifar;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report as a user gets it: a tiny run trained through the real command line (which writes
 * report.html as it goes), then {@code report} on it, on several runs, and on bad input. The browser
 * test is {@link ReportBrowserTest}, on the same run.
 */
class ReportCommandTest {
  @TempDir static Path dir;
  static Path archive;
  static Path run;

  @BeforeAll
  static void trainATinyRun() {
    archive = TinyCifar.writeArchive(dir.resolve("cifar-10-binary.tar.gz"), 16, 32, 7);
    run = trainTinyRun(dir, archive, "tiny");
  }

  /** Two epochs of batch 16 on 80 training and 32 test images: a few seconds. */
  static Path trainTinyRun(Path dir, Path archive, String name) {
    Path out = dir.resolve(name);
    var r = Cli.run("train", "--data", archive.toString(), "--out", out.toString(), "--preset", "seed", "--epochs", "2",
        "--batch-size", "16", "--seed", "5");
    assertEquals(0, r.exit(), r.err());
    return out;
  }

  @Test
  void trainingLeavesAReportOfTheFinishedRun() throws IOException {
    String page = Files.readString(run.resolve("report.html"));
    for (String id : HtmlReport.SECTIONS) {
      if (!id.equals("progress")) assertTrue(page.contains("<section id=\"" + id + "\">"), id);
    }
    assertFalse(page.contains("id=\"progress\""), "finished");
    assertFalse(page.contains("http-equiv=\"refresh\""), "a finished run's page does not reload");
    assertTrue(page.contains("on 32 test images"), "test results from the best checkpoint's evaluation");
    assertTrue(page.contains("with test-time augmentation"), "train rewrites the finished run's page with the flip figure");
    assertTrue(page.contains("The best checkpoint, after epoch "), page);
    assertTrue(Files.isRegularFile(run.resolve("curves.png")));
  }

  @Test
  void reportRewritesThePageFromTheBestCheckpoint() throws IOException {
    Path copy = copy(run, dir.resolve("rewritten"));
    Files.delete(copy.resolve("report.html"));
    var r = Cli.run("report", copy.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("wrote " + copy.resolve("report.html")), r.out());
    String page = Files.readString(copy.resolve("report.html"));
    assertTrue(page.contains("The best checkpoint, after epoch "), "says which model the test results are of");
    assertTrue(page.contains("<table class=\"confusion\">"));
    assertTrue(page.contains("with test-time augmentation: each image's plain and mirrored views averaged"));
    assertEquals(20, HtmlReportTest.count(section(page, "samples"), "<figure "), "20 of the 32 test images at random");
    int mistakes = HtmlReportTest.count(section(page, "mistakes"), "<figure class=\"wrong\"");
    assertTrue(mistakes >= 1 && mistakes <= 20, "two epochs leave mistakes to show: " + mistakes);
    for (String name : TinyCifar.CLASS_NAMES) assertTrue(page.contains(">" + name + "<"), name);
    assertFalse(page.contains("http://") || page.contains("https://"));
  }

  @Test
  void withoutACheckpointThePageHasTheCurvesAndSaysWhy() throws IOException {
    Path copy = copy(run, dir.resolve("no-checkpoints"));
    try (Stream<Path> files = Files.list(copy.resolve("checkpoints"))) {
      for (Path p : files.toList()) Files.delete(p);
    }
    var r = Cli.run("report", copy.toString());
    assertEquals(0, r.exit(), r.err());
    String page = Files.readString(copy.resolve("report.html"));
    assertTrue(page.contains("has no checkpoint yet"), "says why there are no test results");
    assertEquals(3, HtmlReportTest.count(page, "<img class=\"chart\""), "curves, learning rate, speed");
  }

  @Test
  void severalRunsMakeOneComparingPage() throws IOException {
    Path other = copy(run, dir.resolve("other"));
    Path page = dir.resolve("compare.html");
    var r = Cli.run("report", run.toString(), other.toString(), "--out", page.toString());
    assertEquals(0, r.exit(), r.err());
    String html = Files.readString(page);
    for (String id : CompareReport.SECTIONS) assertTrue(html.contains("<section id=\"" + id + "\">"), id);
    assertTrue(html.contains(">tiny<") && html.contains(">other<"), "both runs are named");
    assertTrue(html.contains("href=\"tiny/report.html\""), "links to each run's own page");
    assertEquals(1, HtmlReportTest.count(html, "<img class=\"chart\""));
    assertTrue(html.contains("same settings"), "copies differ in nothing");
    assertFalse(html.contains("http://") || html.contains("https://"));
  }

  @Test
  void aDirectoryWithoutHistoryIsOneLineAndExit1() throws IOException {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    var r = Cli.run("report", empty.toString());
    assertEquals(1, r.exit());
    assertEquals(1, r.err().strip().split("\n").length, r.err());
    assertTrue(r.err().startsWith("error: " + empty + " has no history.csv; "), r.err());

    var missing = Cli.run("report", dir.resolve("nowhere").toString());
    assertEquals(1, missing.exit());
    assertEquals(1, missing.err().strip().split("\n").length, missing.err());
    assertTrue(missing.err().contains("not found"), missing.err());
  }

  static Path copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) Files.createDirectories(target);
        else Files.copy(p, target);
      }
    }
    return to;
  }

  /** The markup of one section of a page. */
  static String section(String page, String id) {
    int start = page.indexOf("<section id=\"" + id + "\">");
    assertTrue(start >= 0, "no section " + id);
    return page.substring(start, page.indexOf("</section>", start));
  }
}
