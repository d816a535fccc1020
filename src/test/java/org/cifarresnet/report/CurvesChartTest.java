package org.cifarresnet.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.cifarresnet.train.EpochStats;
import org.cifarresnet.util.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CurvesChartTest {
  @TempDir Path dir;

  /** A plausible run: loss falling, accuracy rising, test a little worse than training. */
  static List<EpochStats> history(int epochs) {
    List<EpochStats> rows = new ArrayList<>();
    for (int e = 1; e <= epochs; e++) {
      double loss = 0.4 + 1.8 * Math.exp(-e / 15.0);
      double acc = 0.98 - 0.6 * Math.exp(-e / 12.0);
      rows.add(new EpochStats(e, 1e-3, loss, acc, loss + 0.2 + 0.05 * Math.sin(e), acc - 0.06, 60, 900));
    }
    return rows;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 50, 200})
  void writesReadablePngOfExpectedSizeShowingBothSeries(int epochs) throws IOException {
    Path png = dir.resolve("curves.png");
    CurvesChart.write(history(epochs), png);
    BufferedImage image = ImageIO.read(png.toFile());
    assertEquals(1200, image.getWidth());
    assertEquals(500, image.getHeight());
    assertTrue(distinctColours(image) > 20, "image looks blank: " + distinctColours(image) + " colours");
    // Both series must be drawn, in both panels.
    for (int left : new int[] {0, 600}) {
      assertTrue(pixelsNear(image, left, CurvesChart.TRAINING) > 20, "no training curve in panel at x=" + left);
      assertTrue(pixelsNear(image, left, CurvesChart.TEST) > 20, "no test curve in panel at x=" + left);
    }
    assertOnlyFile(png);
  }

  @Test
  void theOptionalTestCurvesAreDrawnInTheAccuracyPanelOnly() throws IOException {
    Path png = dir.resolve("curves.png");
    CurvesChart.write(history(30), png);
    BufferedImage plain = ImageIO.read(png.toFile());
    assertTrue(pixelsNear(plain, 600, CurvesChart.TEST_TTA) < 5, "no TTA curve without the column");

    List<EpochStats> rows = new ArrayList<>();
    for (EpochStats s : history(30)) rows.add(s.withExtras(Math.min(1, s.valAcc() + 0.02), s.valAcc() - 0.03));
    CurvesChart.write(rows, png);
    BufferedImage image = ImageIO.read(png.toFile());
    assertTrue(pixelsNear(image, 600, CurvesChart.TEST_TTA) > 20, "the TTA curve");
    assertTrue(pixelsNear(image, 600, CurvesChart.TEST_NO_EMA) > 20, "the curve without the average");
    assertTrue(pixelsNear(image, 0, CurvesChart.TEST_TTA) < 5, "the loss panel has none");
  }

  @Test
  void titleIsDrawnAboveThePanels() throws IOException {
    Path plain = dir.resolve("plain.png");
    Path titled = dir.resolve("titled.png");
    CurvesChart.write(history(5), plain);
    CurvesChart.write(history(5), titled, "ResNet20 on CIFAR-10");
    BufferedImage a = ImageIO.read(plain.toFile());
    BufferedImage b = ImageIO.read(titled.toFile());
    assertEquals(1200, b.getWidth());
    assertEquals(500, b.getHeight());
    // The title is centred, over the gap between the panels, where the untitled image is white.
    assertEquals(0, darkPixels(a, 540, 660, 0, 30));
    assertTrue(darkPixels(b, 540, 660, 0, 30) > 20);
  }

  @Test
  void blankTitleIsNoTitle() throws IOException {
    Path png = dir.resolve("curves.png");
    CurvesChart.write(history(5), png, "  ");
    assertEquals(0, darkPixels(ImageIO.read(png.toFile()), 540, 660, 0, 30));
  }

  @Test
  void survivesNonFiniteAndConstantValues() throws IOException {
    List<EpochStats> rows = new ArrayList<>(history(10));
    rows.set(4, new EpochStats(5, 1e-3, Double.NaN, 0.1, Double.POSITIVE_INFINITY, 0.1, 1, 1));
    Path png = dir.resolve("nan.png");
    CurvesChart.write(rows, png);
    assertEquals(1200, ImageIO.read(png.toFile()).getWidth());

    List<EpochStats> flat = List.of(
        new EpochStats(1, 0.1, Double.NaN, 0.1, Double.NaN, 0.1, 1, 1),
        new EpochStats(2, 0.1, Double.NaN, 0.1, Double.NaN, 0.1, 1, 1));
    CurvesChart.write(flat, png);
    assertEquals(1200, ImageIO.read(png.toFile()).getWidth());
  }

  @Test
  void acceptsRowsOutOfOrderAndRunsResumedLate() throws IOException {
    List<EpochStats> rows = new ArrayList<>(history(200).subList(100, 200));
    Collections.reverse(rows);
    Path png = dir.resolve("curves.png");
    CurvesChart.write(rows, png, "resumed\nat 101");
    BufferedImage image = ImageIO.read(png.toFile());
    assertTrue(pixelsNear(image, 0, CurvesChart.TRAINING) > 20);
    assertTrue(pixelsNear(image, 600, CurvesChart.TEST) > 20);
  }

  @Test
  void overwritesAndLeavesNoTemporaryFiles() throws IOException {
    Path png = dir.resolve("curves.png");
    CurvesChart.write(history(3), png);
    CurvesChart.write(history(4), png, "again");
    assertOnlyFile(png);
  }

  @Test
  void emptyHistoryIsAUserError() {
    Path png = dir.resolve("curves.png");
    UserError e = assertThrows(UserError.class, () -> CurvesChart.write(List.of(), png));
    assertTrue(e.getMessage().contains(png.toString()), e.getMessage());
    assertTrue(Files.notExists(png));
  }

  private void assertOnlyFile(Path file) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList());
    }
  }

  private static int distinctColours(BufferedImage image) {
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) colours.add(image.getRGB(x, y) & 0xFFFFFF);
    }
    return colours.size();
  }

  /** Pixels within a small distance of {@code colour} in the 600-pixel-wide panel starting at {@code left}. */
  private static int pixelsNear(BufferedImage image, int left, Color colour) {
    int count = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = left; x < left + 600; x++) {
        Color c = new Color(image.getRGB(x, y));
        int d = Math.abs(c.getRed() - colour.getRed()) + Math.abs(c.getGreen() - colour.getGreen())
            + Math.abs(c.getBlue() - colour.getBlue());
        if (d < 30) count++;
      }
    }
    return count;
  }

  private static int darkPixels(BufferedImage image, int x0, int x1, int y0, int y1) {
    int count = 0;
    for (int y = y0; y < y1; y++) {
      for (int x = x0; x < x1; x++) {
        Color c = new Color(image.getRGB(x, y));
        if (c.getRed() + c.getGreen() + c.getBlue() < 200) count++;
      }
    }
    return count;
  }
}
