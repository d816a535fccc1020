package org.cifarresnet.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.cifarresnet.train.EpochStats;
import org.cifarresnet.util.AtomicFiles;
import org.cifarresnet.util.UserError;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws the learning curves of a run as one PNG: loss on the left, accuracy on the right, training and
 * test in each — the figure the original author drew in Matlab to see at a glance whether a run learns,
 * overfits, or reacts to a learning-rate step.
 *
 * <p>Training and test differ in colour (Okabe-Ito blue and vermillion, which stay distinct for the common
 * forms of colour blindness), in line style (solid and dashed) and in marker shape, so the figure still
 * reads in greyscale print. Markers are drawn only for short runs: on 200 epochs they would merge into a
 * thick band, while a run of one epoch has no line at all and needs them to show anything.
 *
 * <p>The image is composed in memory and written through {@link AtomicFiles}, so a viewer that reloads the
 * file while training is still running never sees a truncated PNG.
 */
public final class CurvesChart {
  /** Size of the whole image in pixels: two panels of 600 x 500 side by side. */
  public static final int WIDTH = 1200;

  public static final int HEIGHT = 500;

  /** Okabe-Ito blue, for training. */
  static final Color TRAINING = new Color(0x00, 0x72, 0xB2);

  /** Okabe-Ito vermillion, for test. */
  static final Color TEST = new Color(0xD5, 0x5E, 0x00);

  /** Okabe-Ito bluish green and reddish purple, for the optional test curves (flip TTA, no average). */
  static final Color TEST_TTA = new Color(0x00, 0x9E, 0x73);

  static final Color TEST_NO_EMA = new Color(0xCC, 0x79, 0xA7);

  /** Above this many epochs markers are left off and the line style alone tells the series apart. */
  static final int MAX_EPOCHS_WITH_MARKERS = 40;

  /** Up to this many epochs every epoch gets its own x label; beyond, labels go at round numbers. */
  static final int MAX_EPOCHS_LABELLED_EACH = 12;

  private static final int TITLE_HEIGHT = 34;

  private CurvesChart() {}

  /** Writes the curves of {@code history} to {@code png}, without a title line. */
  public static void write(List<EpochStats> history, Path png) {
    write(history, png, null);
  }

  /**
   * Writes the curves of {@code history} to {@code png}, with {@code title} (e.g. the run name) above both
   * panels if it is not null or blank.
   *
   * @throws UserError if {@code history} is empty or the file cannot be written
   */
  public static void write(List<EpochStats> history, Path png, String title) {
    if (history.isEmpty()) {
      throw new UserError(
          "no epochs to plot for " + png + "; train for at least one epoch, or check that history.csv has rows");
    }
    BufferedImage image = render(sortedByEpoch(history), title);
    AtomicFiles.write(png, out -> writePng(image, out));
  }

  /** A resumed run may have its rows out of order; drawn as they come, the lines would zig-zag back. */
  private static List<EpochStats> sortedByEpoch(List<EpochStats> history) {
    List<EpochStats> sorted = new ArrayList<>(history);
    sorted.sort(Comparator.comparingInt(EpochStats::epoch));
    return sorted;
  }

  /** Draws the figure in memory; {@link #write} only adds the encoding and the atomic write. */
  static BufferedImage render(List<EpochStats> history, String title) {
    boolean hasTitle = title != null && !title.isBlank();
    int top = hasTitle ? TITLE_HEIGHT : 0;
    int panelWidth = WIDTH / 2;
    int panelHeight = HEIGHT - top;

    double[] epochs = new double[history.size()];
    double[] loss = new double[history.size()];
    double[] valLoss = new double[history.size()];
    double[] acc = new double[history.size()];
    double[] valAcc = new double[history.size()];
    for (int i = 0; i < history.size(); i++) {
      EpochStats s = history.get(i);
      epochs[i] = s.epoch();
      loss[i] = finiteOrNaN(s.loss());
      valLoss[i] = finiteOrNaN(s.valLoss());
      acc[i] = finiteOrNaN(s.acc() * 100);
      valAcc[i] = finiteOrNaN(s.valAcc() * 100);
    }
    List<Extra> accExtras = new ArrayList<>();
    for (HistoryCsv.OptionalColumn c : HistoryCsv.OptionalColumn.recordedIn(history)) {
      double[] values = history.stream().map(c::of).mapToDouble(v -> v == null ? Double.NaN : finiteOrNaN(v * 100)).toArray();
      accExtras.add(switch (c) {
        case TTA -> new Extra("test, flip TTA", values, TEST_TTA);
        case NO_EMA -> new Extra("test, no average", values, TEST_NO_EMA);
      });
    }
    // Legends go where the curves usually are not: loss falls away from the top right, accuracy rises
    // away from the bottom right.
    XYChart lossChart =
        panel("Loss", "loss", panelWidth, panelHeight, epochs, loss, valLoss, List.of(), Styler.LegendPosition.InsideNE);
    XYChart accChart = panel(
        "Accuracy", "accuracy (%)", panelWidth, panelHeight, epochs, acc, valAcc, accExtras, Styler.LegendPosition.InsideSE);

    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, HEIGHT);
      if (hasTitle) drawTitle(g, title.strip().replaceAll("\\s+", " "), top);
      g.drawImage(BitmapEncoder.getBufferedImage(lossChart), 0, top, null);
      g.drawImage(BitmapEncoder.getBufferedImage(accChart), panelWidth, top, null);
    } finally {
      g.dispose();
    }
    return image;
  }

  /** An optional test curve, dotted, beside the plain one. */
  private record Extra(String name, double[] values, Color colour) {}

  private static XYChart panel(String name, String yTitle, int width, int height, double[] epochs,
      double[] training, double[] test, List<Extra> extras, Styler.LegendPosition legend) {
    XYChart chart = new XYChartBuilder().width(width).height(height).title(name).xAxisTitle("epoch")
        .yAxisTitle(yTitle).build();
    XYStyler st = chart.getStyler();
    ReportCharts.style(st);
    st.setLegendPosition(legend);
    st.setXAxisDecimalPattern("#,##0");

    List<double[]> shown = new ArrayList<>(List.of(training, test));
    for (Extra e : extras) shown.add(e.values());
    double[] yRange = yRange(shown.toArray(double[][]::new));
    st.setYAxisMin(yRange[0]);
    st.setYAxisMax(yRange[1]);
    boolean longRun = epochs.length > MAX_EPOCHS_LABELLED_EACH;
    // Long runs start the axis at the round epoch before the first (0 for a run from epoch 1).
    double xMin = Math.max(0, epochs[0] - 1);
    if (longRun) st.setXAxisMin(xMin);

    boolean markers = epochs.length <= MAX_EPOCHS_WITH_MARKERS;
    addSeries(chart, "training", epochs, training, TRAINING, SeriesLines.SOLID, markers ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
    addSeries(chart, "test", epochs, test, TEST, SeriesLines.DASH_DASH, markers ? SeriesMarkers.SQUARE : SeriesMarkers.NONE);
    for (Extra e : extras) addSeries(chart, e.name(), epochs, e.values(), e.colour(), SeriesLines.DOT_DOT, SeriesMarkers.NONE);
    addTickAnchors(chart, epochs[0], longRun ? xMin : Double.NaN, yRange);
    return chart;
  }

  /**
   * The y range to show: the finite data with a little room so markers do not sit on the frame, widened
   * around a constant (a single epoch with equal training and test values) and [0, 1] when nothing is
   * finite, since XChart cannot draw ticks for an empty or zero-width range.
   */
  static double[] yRange(double[]... series) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double[] values : series) {
      for (double v : values) {
        if (Double.isNaN(v)) continue;
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    if (lo > hi) return new double[] {0, 1};
    double span = hi - lo;
    if (span <= 1e-9 * Math.max(1, Math.abs(hi))) {
      double pad = Math.max(0.05 * Math.abs(hi), 0.01);
      return new double[] {lo - pad, hi + pad};
    }
    return new double[] {lo - 0.04 * span, hi + 0.04 * span};
  }

  /**
   * Adds an invisible series that steers XChart's tick placement. XChart 3.8.8 puts ticks on the data
   * values themselves whenever those are equally spaced: on the x axis that labels epochs 1, 11, 21, ...
   * crammed edge to edge, and with one epoch the y axis gets exactly two labels printed with sixteen
   * digits. A couple of extra values that break the equal spacing make it choose round steps instead
   * (0, 50, 100, ...). Short runs keep the per-epoch x labels, which read well, so there the anchor reuses
   * an existing epoch ({@code xMin} is NaN). The anchor lies inside the shown ranges, and it has no line,
   * no marker and no legend entry, so it draws nothing.
   */
  static void addTickAnchors(XYChart chart, double firstEpoch, double xMin, double[] yRange) {
    double[] x = Double.isNaN(xMin) ? new double[] {firstEpoch, firstEpoch} : new double[] {xMin + 0.25, xMin + 0.5};
    double span = yRange[1] - yRange[0];
    double[] y = {yRange[0] + 0.37 * span, yRange[0] + 0.71 * span};
    XYSeries anchor = chart.addSeries(" ", x, y);
    anchor.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    anchor.setLineStyle(SeriesLines.NONE);
    anchor.setMarker(SeriesMarkers.NONE);
    anchor.setShowInLegend(false);
  }

  private static void addSeries(
      XYChart chart, String name, double[] x, double[] y, Color colour, BasicStroke line, Marker marker) {
    XYSeries s = chart.addSeries(name, x, y);
    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    s.setLineColor(colour);
    s.setLineStyle(new BasicStroke(2f, line.getEndCap(), line.getLineJoin(), line.getMiterLimit(),
        line.getDashArray(), line.getDashPhase()));
    s.setMarker(marker);
    s.setMarkerColor(colour);
  }

  private static void drawTitle(Graphics2D g, String title, int height) {
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 17));
    FontMetrics fm = g.getFontMetrics();
    int x = Math.max(8, (WIDTH - fm.stringWidth(title)) / 2);
    int y = (height - fm.getHeight()) / 2 + fm.getAscent() + 4;
    g.drawString(title, x, y);
  }

  /** A diverged run logs NaN or infinite loss; plotted as a gap, it does not squash the axis to nothing. */
  private static double finiteOrNaN(double v) {
    return Double.isFinite(v) ? v : Double.NaN;
  }

  /**
   * Encodes as PNG in memory: {@code ImageIO.write} to a stream may buffer through a cache file in the
   * system temp directory, which is both a stray file and a failure point when that disk is full.
   */
  static void writePng(BufferedImage image, OutputStream out) throws IOException {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
    if (!writers.hasNext()) throw new IOException("this Java runtime has no PNG encoder");
    ImageWriter writer = writers.next();
    try (ImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(ios);
      writer.write(image);
    } finally {
      writer.dispose();
    }
  }
}
