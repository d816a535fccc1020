package org.cifarresnet.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.cifarresnet.cli.Cli;
import org.cifarresnet.data.TinyCifar;
import org.cifarresnet.testing.NeededTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens a tiny run's report in a real browser, Debian's chromium without a window, and checks what it
 * shows: the DOM after loading has every section and the charts as images, and a screenshot is not blank.
 * Where chromium is missing the test is skipped, saying how to install it ({@link NeededTool}: under CI
 * it fails instead, unless .ci/run could not install it).
 *
 * <p>The screenshot is also copied to {@code target/report-screenshot.png}, for a person to look at.
 */
class ReportBrowserTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  /** Long enough for a cold start on a busy 2-core machine; a hung browser is killed after it. */
  static final int TIMEOUT_SECONDS = 60;

  @TempDir Path dir;

  @Test
  void chromiumShowsEverySectionAndChart() throws Exception {
    NeededTool.require("chromium", Files.isExecutable(CHROMIUM), "no " + CHROMIUM + "; apt-get install -y chromium");
    Path archive = TinyCifar.writeArchive(dir.resolve("cifar-10-binary.tar.gz"), 16, 32, 7);
    Path run = ReportCommandTest.trainTinyRun(dir, archive, "tiny");
    var r = Cli.run("report", run.toString());
    assertEquals(0, r.exit(), r.err());
    Path page = run.resolve("report.html");

    String dom = chromium(dir.resolve("dom.html"), "--dump-dom", page.toUri().toString());
    for (String id : HtmlReport.SECTIONS) {
      if (!id.equals("progress")) assertTrue(dom.contains("id=\"" + id + "\""), "the browser's DOM has section " + id);
    }
    int charts = HtmlReportTest.count(dom, "<img class=\"chart\" src=\"data:image/png;base64,");
    assertEquals(4, charts, "curves, learning rate, speed and per-class charts are images");
    assertTrue(dom.contains("<table class=\"confusion\">"), "the confusion matrix");

    Path png = dir.resolve("report.png");
    chromium(dir.resolve("screenshot.log"), "--screenshot=" + png, "--window-size=1280,2400", "--hide-scrollbars",
        page.toUri().toString());
    assertTrue(Files.isRegularFile(png), "chromium wrote no screenshot");
    BufferedImage shot = ImageIO.read(png.toFile());
    assertEquals(1280, shot.getWidth());
    assertTrue(distinctColours(shot) > 200, "the screenshot looks blank: " + distinctColours(shot) + " colours");
    Path keep = Path.of("target", "report-screenshot.png");
    if (Files.isDirectory(keep.getParent())) Files.copy(png, keep, StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Runs headless chromium with a fresh profile and returns what it printed on standard output. Standard
   * error (D-Bus and GPU notices that a headless machine always causes) goes to a file beside.
   */
  private String chromium(Path stdout, String... args) throws IOException, InterruptedException {
    Path profile = Files.createTempDirectory(dir, "profile");
    List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile));
    command.addAll(List.of(args));
    Path stderr = dir.resolve(stdout.getFileName() + ".err");
    Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
    if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      // Chromium starts helper processes; end them too, or they outlive the test.
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      fail("chromium did not finish within " + TIMEOUT_SECONDS + " s: " + String.join(" ", command));
    }
    assertEquals(0, p.exitValue(), "chromium failed: " + Files.readString(stderr, StandardCharsets.UTF_8));
    return Files.readString(stdout, StandardCharsets.UTF_8);
  }

  static int distinctColours(BufferedImage image) {
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 2) for (int x = 0; x < image.getWidth(); x += 2) colours.add(image.getRGB(x, y));
    return colours.size();
  }
}
