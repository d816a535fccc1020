package org.cifarresnet.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.cifarresnet.train.EpochStats;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's charts, drawn with XChart and returned as PNG data URIs so that the page carries them
 * inline. The loss and accuracy curves are {@link CurvesChart}'s, the figure {@code curves.png} holds.
 *
 * <p>Colours are the Okabe-Ito palette, chosen to stay apart for the common forms of colour blindness;
 * series also differ in line style and marker, so the charts read in greyscale too.
 */
final class ReportCharts {
  /** Okabe-Ito, in the order series get them; yellow last, as it is faint on white. */
  static final Color[] PALETTE = {
    new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73), new Color(0xCC79A7),
    new Color(0xE69F00), new Color(0x56B4E9), new Color(0x000000), new Color(0xF0E442),
  };

  private static final BasicStroke[] LINES = {SeriesLines.SOLID, SeriesLines.DASH_DASH, SeriesLines.DOT_DOT, SeriesLines.DASH_DOT};

  private static final Marker[] MARKERS = {
    SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND, SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN,
  };

  /** Width of one panel; two panels side by side make the 1200 px of {@link CurvesChart}. */
  static final int PANEL_WIDTH = 600;

  static final int PANEL_HEIGHT = 400;

  private ReportCharts() {}

  /** One named line of a chart. */
  record Line(String name, double[] x, double[] y) {}

  /** Loss and accuracy, training against test: the same figure as curves.png. */
  static String curves(List<EpochStats> history) {
    return dataUri(CurvesChart.render(history, null));
  }

  /**
   * The learning rate per epoch (history.csv's: the rate of the epoch's last step), on a log scale since
   * step schedules divide it by ten: on a linear axis every step after the first would lie flat on zero.
   * A rate of 0 (the end of a schedule that falls to nothing) has no place on a log axis and is left out.
   */
  static String learningRate(List<EpochStats> history) {
    double[] x = epochs(history);
    double[] lr = history.stream().mapToDouble(s -> s.lr() > 0 ? s.lr() : Double.NaN).toArray();
    XYChart chart = panel("Learning rate", "learning rate (log scale)", PANEL_WIDTH + 200, 320,
        List.of(new Line("learning rate", x, lr)), null, true);
    // Grid lines only at the decades: the minor ones of a log axis fill the plot with dots.
    chart.getStyler().setYAxisLogarithmicDecadeOnly(true);
    return dataUri(BitmapEncoder.getBufferedImage(chart));
  }

  /** Seconds per epoch and training images per second, side by side. */
  static String speed(List<EpochStats> history) {
    double[] x = epochs(history);
    // From zero: a drop from 700 to 650 images/s is a 7 % change, not the cliff a cropped axis would draw.
    XYChart seconds = panel("Epoch time", "seconds (training + test)", PANEL_WIDTH, PANEL_HEIGHT,
        List.of(new Line("epoch time", x, history.stream().mapToDouble(EpochStats::seconds).toArray())), null, false);
    XYChart throughput = panel("Training speed", "training images per second", PANEL_WIDTH, PANEL_HEIGHT,
        List.of(new Line("images/s", x, history.stream().mapToDouble(EpochStats::imagesPerSecond).toArray())), null, false);
    fromZero(seconds);
    fromZero(throughput);
    return dataUri(sideBySide(BitmapEncoder.getBufferedImage(seconds), BitmapEncoder.getBufferedImage(throughput)));
  }

  /** Test accuracy and test loss of several runs, one colour per run. */
  static String compare(List<String> names, List<List<EpochStats>> histories) {
    List<Line> acc = new ArrayList<>();
    List<Line> loss = new ArrayList<>();
    for (int r = 0; r < names.size(); r++) {
      List<EpochStats> h = histories.get(r);
      double[] x = epochs(h);
      acc.add(new Line(names.get(r), x, h.stream().mapToDouble(s -> s.valAcc() * 100).toArray()));
      loss.add(new Line(names.get(r), x, h.stream().mapToDouble(EpochStats::valLoss).toArray()));
    }
    XYChart accChart = panel("Test accuracy", "accuracy (%)", PANEL_WIDTH, 450, acc, Styler.LegendPosition.InsideSE, false);
    XYChart lossChart = panel("Test loss", "loss", PANEL_WIDTH, 450, loss, Styler.LegendPosition.InsideNE, false);
    return dataUri(sideBySide(BitmapEncoder.getBufferedImage(accChart), BitmapEncoder.getBufferedImage(lossChart)));
  }

  /** Accuracy on each class's test images, as bars. */
  static String perClass(List<String> classNames, double[] accuracy) {
    CategoryChart chart = new CategoryChartBuilder().width(PANEL_WIDTH + 40).height(360).title("Test accuracy per class")
        .xAxisTitle("true class").yAxisTitle("accuracy (%)").build();
    style(chart.getStyler());
    chart.getStyler().setLegendVisible(false);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(100.0);
    chart.getStyler().setXAxisLabelRotation(classNames.size() > 8 ? 30 : 0);
    // The numbers stand in the table beside the chart: labels on the bars would be unreadable on short ones.
    chart.getStyler().setYAxisDecimalPattern("0");
    List<Double> values = new ArrayList<>();
    for (double a : accuracy) values.add(a * 100);
    CategorySeries s = chart.addSeries("accuracy", new ArrayList<>(classNames), values);
    s.setFillColor(PALETTE[0]);
    return dataUri(BitmapEncoder.getBufferedImage(chart));
  }

  /**
   * An XY panel styled like {@link CurvesChart}'s: one colour, line style and marker per line, markers only
   * on short runs, y range from the data with a little room, and CurvesChart's tick anchors so that XChart
   * labels round epochs.
   */
  private static XYChart panel(
      String title, String yTitle, int width, int height, List<Line> lines, Styler.LegendPosition legend, boolean logY) {
    XYChart chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle("epoch").yAxisTitle(yTitle).build();
    AxesChartStyler st = chart.getStyler();
    style(st);
    st.setLegendVisible(legend != null);
    if (legend != null) st.setLegendPosition(legend);
    st.setXAxisDecimalPattern("#,##0");
    int maxEpochs = 0;
    double firstEpoch = Double.POSITIVE_INFINITY;
    List<double[]> ys = new ArrayList<>();
    for (Line l : lines) {
      maxEpochs = Math.max(maxEpochs, l.x().length);
      if (l.x().length > 0) firstEpoch = Math.min(firstEpoch, l.x()[0]);
      ys.add(finite(l.y()));
    }
    if (!Double.isFinite(firstEpoch)) firstEpoch = 1;
    boolean markers = maxEpochs <= CurvesChart.MAX_EPOCHS_WITH_MARKERS;
    for (int i = 0; i < lines.size(); i++) {
      Line l = lines.get(i);
      // XChart refuses a series without points; a run with no finished epoch is simply not drawn.
      if (l.x().length == 0) continue;
      XYSeries s = chart.addSeries(l.name(), l.x(), ys.get(i));
      s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
      Color colour = PALETTE[i % PALETTE.length];
      BasicStroke line = LINES[i % LINES.length];
      s.setLineColor(colour);
      s.setLineStyle(new BasicStroke(2f, line.getEndCap(), line.getLineJoin(), line.getMiterLimit(), line.getDashArray(), line.getDashPhase()));
      s.setMarker(markers ? MARKERS[i % MARKERS.length] : SeriesMarkers.NONE);
      s.setMarkerColor(colour);
    }
    double[] yRange = logY ? logRange(ys) : CurvesChart.yRange(ys.toArray(double[][]::new));
    st.setYAxisMin(yRange[0]);
    st.setYAxisMax(yRange[1]);
    if (logY) {
      st.setYAxisLogarithmic(true);
      st.setYAxisDecimalPattern("0.#E0");
    }
    boolean longRun = maxEpochs > CurvesChart.MAX_EPOCHS_LABELLED_EACH;
    double xMin = Math.max(0, firstEpoch - 1);
    if (longRun) st.setXAxisMin(xMin);
    CurvesChart.addTickAnchors(chart, firstEpoch, longRun ? xMin : Double.NaN, yRange);
    return chart;
  }

  /** Starts the y axis at zero, keeping the top {@link #panel} chose (and room above a constant series). */
  private static void fromZero(XYChart chart) {
    double top = chart.getStyler().getYAxisMax();
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(top > 0 ? top * 1.05 : 1.0);
  }

  /** The look shared by every chart of the report and curves.png. */
  static void style(AxesChartStyler st) {
    st.setLocale(Locale.ROOT);
    st.setChartBackgroundColor(Color.WHITE);
    st.setPlotBackgroundColor(Color.WHITE);
    st.setPlotBorderColor(Color.GRAY);
    st.setPlotGridLinesColor(new Color(0xE0, 0xE0, 0xE0));
    st.setChartTitleBoxVisible(false);
    st.setLegendLayout(Styler.LegendLayout.Vertical);
    st.setLegendBackgroundColor(new Color(255, 255, 255, 220));
    st.setLegendBorderColor(Color.LIGHT_GRAY);
    st.setMarkerSize(7);
    st.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    st.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    st.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    st.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    st.setYAxisLabelAlignment(AxesChartStyler.TextAlignment.Right);
  }

  /** A log axis from the decade below the smallest value to the decade above the largest. */
  private static double[] logRange(List<double[]> ys) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = 0;
    for (double[] y : ys) for (double v : y) if (v > 0) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    if (hi == 0) return new double[] {1e-4, 1e-2};
    return new double[] {Math.pow(10, Math.floor(Math.log10(lo) - 1e-9)), Math.pow(10, Math.ceil(Math.log10(hi) + 1e-9))};
  }

  private static double[] epochs(List<EpochStats> history) {
    return history.stream().mapToDouble(EpochStats::epoch).toArray();
  }

  /** A diverged run logs NaN or infinite values: drawn as gaps, they do not squash the axis. */
  private static double[] finite(double[] y) {
    double[] out = y.clone();
    for (int i = 0; i < out.length; i++) if (!Double.isFinite(out[i])) out[i] = Double.NaN;
    return out;
  }

  static BufferedImage sideBySide(BufferedImage left, BufferedImage right) {
    BufferedImage image = new BufferedImage(left.getWidth() + right.getWidth(), Math.max(left.getHeight(), right.getHeight()),
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, image.getWidth(), image.getHeight());
      g.drawImage(left, 0, 0, null);
      g.drawImage(right, left.getWidth(), 0, null);
    } finally {
      g.dispose();
    }
    return image;
  }

  /** The image as a {@code data:image/png;base64,...} URI, encoded in memory. */
  static String dataUri(BufferedImage image) {
    var bytes = new ByteArrayOutputStream(64 * 1024);
    try {
      CurvesChart.writePng(image, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode a chart as PNG", e);
    }
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(bytes.toByteArray());
  }
}
