package org.cifarresnet.report;

import java.util.List;
import java.util.Locale;

/**
 * The confusion matrix as a heatmap: an HTML table whose cells are coloured by viridis and carry their
 * count, so the numbers stay exact and selectable while the colours show where the errors are.
 *
 * <p>A cell's colour is its share of its row (the images of that true class), so classes with different
 * numbers of test images compare fairly. Shares go through a square root before the colour scale: on a
 * trained model the diagonal holds 70 to 95 % and the confusions 0 to 15 %, and on a linear scale every
 * confusion would be the same dark purple; under the root, cat-taken-for-dog (about 10 %) stands out from
 * the 1 % cells. Viridis keeps its order of lightness for the common forms of colour blindness and in
 * greyscale, and the diagonal is also outlined and in bold, so nothing depends on hue alone.
 */
final class ConfusionTable {
  /** Viridis at nine even stops (as R's {@code viridis(9)} gives them), interpolated linearly between. */
  private static final int[] VIRIDIS = {
    0x440154, 0x472D7B, 0x3B528B, 0x2C728E, 0x21908C, 0x27AD81, 0x5DC863, 0xAADC32, 0xFDE725,
  };

  /**
   * Above this luminance black text contrasts more than white: the two contrast ratios, 1.05 / (L + 0.05)
   * and (L + 0.05) / 0.05, are equal at L = 0.179.
   */
  private static final double BLACK_TEXT_ABOVE = 0.179;

  private ConfusionTable() {}

  /** Appends the table and its colour scale to {@code out}; {@code confusion} is [true class][predicted]. */
  static void append(StringBuilder out, int[][] confusion, List<String> classNames) {
    int n = confusion.length;
    out.append("<table class=\"confusion\">\n<tr><th>true \\ predicted</th>");
    for (int p = 0; p < n; p++) out.append("<th class=\"pred\">").append(Html.esc(classNames.get(p))).append("</th>");
    out.append("<th class=\"num\">images</th></tr>\n");
    for (int t = 0; t < n; t++) {
      int total = 0;
      for (int count : confusion[t]) total += count;
      out.append("<tr><th>").append(Html.esc(classNames.get(t))).append("</th>");
      for (int p = 0; p < n; p++) {
        int count = confusion[t][p];
        double share = total == 0 ? 0 : (double) count / total;
        int rgb = colour(Math.sqrt(share));
        out.append("<td").append(t == p ? " class=\"diag\"" : "")
            .append(String.format(Locale.ROOT, " style=\"background:#%06x;color:%s\"", rgb, luminance(rgb) > BLACK_TEXT_ABOVE ? "#000" : "#fff"))
            .append(" title=\"").append(Html.esc(classNames.get(t))).append(" predicted as ").append(Html.esc(classNames.get(p)))
            .append(": ").append(count).append(" of ").append(total).append(" (").append(Html.percent(share)).append(")\">")
            .append(count).append("</td>");
      }
      out.append("<td class=\"num\">").append(total).append("</td></tr>\n");
    }
    out.append("</table>\n<div class=\"scale\"><span>0 %</span><span class=\"bar\" style=\"background:linear-gradient(to right");
    for (int i = 0; i <= 20; i++) {
      // The bar shows the same root scale as the cells: the colour at 25 % of the bar is a 6.25 % share.
      out.append(String.format(Locale.ROOT, ", #%06x %d%%", colour(i / 20.0), i * 5));
    }
    out.append(")\"></span><span>100 % of the true class's images (square-root scale: small confusions show)</span></div>\n");
  }

  /** The viridis colour at {@code t} in [0, 1], as 0xRRGGBB. */
  static int colour(double t) {
    double x = Math.max(0, Math.min(1, Double.isNaN(t) ? 0 : t)) * (VIRIDIS.length - 1);
    int i = Math.min((int) x, VIRIDIS.length - 2);
    double f = x - i;
    int a = VIRIDIS[i];
    int b = VIRIDIS[i + 1];
    int r = (int) Math.round(((a >> 16) & 0xFF) * (1 - f) + ((b >> 16) & 0xFF) * f);
    int g = (int) Math.round(((a >> 8) & 0xFF) * (1 - f) + ((b >> 8) & 0xFF) * f);
    int bl = (int) Math.round((a & 0xFF) * (1 - f) + (b & 0xFF) * f);
    return (r << 16) | (g << 8) | bl;
  }

  /** Relative luminance (WCAG), to pick black or white text that stays readable on the cell. */
  static double luminance(int rgb) {
    return 0.2126 * linear((rgb >> 16) & 0xFF) + 0.7152 * linear((rgb >> 8) & 0xFF) + 0.0722 * linear(rgb & 0xFF);
  }

  private static double linear(int channel) {
    double c = channel / 255.0;
    return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  }
}
