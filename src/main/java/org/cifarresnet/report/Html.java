package org.cifarresnet.report;

import java.util.Locale;

/**
 * The small pieces every report page is made of: escaping, the page frame with its style sheet, and
 * sections with stable ids that tests and links can find.
 *
 * <p>Everything a page shows comes from files a user can edit (class names from the data's meta file, a
 * run directory's name, config.json), so every text goes through {@link #esc} before it reaches the page.
 */
final class Html {
  private Html() {}

  /** Escapes text for use in element content and in double-quoted attribute values. */
  static String esc(Object value) {
    String s = String.valueOf(value);
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  /** A percentage with one decimal, e.g. 0.91234 -> "91.2 %" (a space that does not break); non-finite values as a dash. */
  static String percent(double fraction) {
    return Double.isFinite(fraction) ? String.format(Locale.ROOT, "%.1f\u00a0%%", fraction * 100) : "–";
  }

  static String fixed(double v, int decimals) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%,." + decimals + "f", v) : "–";
  }

  /** A duration as a person says it: "45 s", "12 min", "3 h 20 min". */
  static String duration(double seconds) {
    if (!Double.isFinite(seconds) || seconds < 0) return "–";
    long s = Math.round(seconds);
    if (s < 90) return s + " s";
    long min = Math.round(seconds / 60);
    if (min < 90) return min + " min";
    return (min / 60) + " h " + (min % 60) + " min";
  }

  /** Opens a section: its id is stable (tests and the navigation bar use it), its heading visible. */
  static void openSection(StringBuilder out, String id, String heading) {
    out.append("<section id=\"").append(id).append("\">\n<h2>").append(esc(heading)).append("</h2>\n");
  }

  static void closeSection(StringBuilder out) {
    out.append("</section>\n");
  }

  /** A paragraph saying why a section has nothing to show, and how to get it. */
  static void note(StringBuilder out, String text) {
    out.append("<p class=\"note\">").append(esc(text)).append("</p>\n");
  }

  /** A chart image; {@code dataUri} is a base64 PNG, so the page needs no other file. */
  static void chart(StringBuilder out, String dataUri, String alt, int width) {
    out.append("<img class=\"chart\" src=\"").append(dataUri).append("\" alt=\"").append(esc(alt))
        .append("\" style=\"width:").append(width).append("px\">\n");
  }

  /**
   * The page up to the start of its body content. {@code refreshSeconds > 0} makes the browser reload the
   * page by itself, for a run that is still training: the file is rewritten after every epoch.
   */
  static void openPage(StringBuilder out, String title, int refreshSeconds) {
    out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    if (refreshSeconds > 0) out.append("<meta http-equiv=\"refresh\" content=\"").append(refreshSeconds).append("\">\n");
    out.append("<title>").append(esc(title)).append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
  }

  static void closePage(StringBuilder out) {
    out.append("</body>\n</html>\n");
  }

  /** One style sheet for every page: system fonts, no web fonts or scripts, so nothing is fetched. */
  private static final String CSS = """
      body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1a1a1a;
             background: #fafafa; margin: 0; padding: 0 24px 48px; max-width: 1280px; line-height: 1.45; }
      header { padding: 18px 0 6px; }
      h1 { font-size: 26px; margin: 0 0 4px; }
      h2 { font-size: 20px; margin: 0 0 10px; }
      h3 { font-size: 16px; margin: 16px 0 8px; }
      .subtitle { color: #555; margin: 0; }
      nav { position: sticky; top: 0; background: #fafafa; border-bottom: 1px solid #ddd; padding: 8px 0; z-index: 1; }
      nav a { margin-right: 14px; color: #0060a0; text-decoration: none; white-space: nowrap; }
      nav a:hover { text-decoration: underline; }
      section { background: #fff; border: 1px solid #e2e2e2; border-radius: 6px; padding: 16px 20px; margin: 18px 0; }
      .tiles { display: flex; flex-wrap: wrap; gap: 12px; margin: 14px 0 0; }
      .tile { background: #fff; border: 1px solid #e2e2e2; border-radius: 6px; padding: 10px 16px; min-width: 150px; }
      .tile .value { font-size: 22px; font-weight: 600; }
      .tile .label { color: #555; font-size: 13px; }
      img.chart { max-width: 100%; height: auto; display: block; margin: 6px 0; }
      table { border-collapse: collapse; font-size: 14px; }
      th, td { padding: 4px 10px; text-align: left; border-bottom: 1px solid #eee; }
      td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
      table.kv td:first-child { color: #555; white-space: nowrap; }
      table.kv td { word-break: break-all; }
      .cols { display: flex; flex-wrap: wrap; gap: 32px; align-items: flex-start; }
      .note { color: #555; font-style: italic; }
      progress { width: 420px; height: 18px; vertical-align: middle; }
      table.confusion td { text-align: center; min-width: 46px; height: 34px; padding: 2px 4px;
                           border: 1px solid #fff; font-variant-numeric: tabular-nums; }
      table.confusion th { font-weight: 500; white-space: nowrap; }
      table.confusion th.pred { writing-mode: vertical-rl; transform: rotate(180deg); text-align: left;
                                vertical-align: bottom; padding: 4px 2px; }
      table.confusion td.diag { font-weight: 700; box-shadow: inset 0 0 0 2px #000, inset 0 0 0 4px #fff; }
      .scale { display: flex; align-items: center; gap: 8px; font-size: 13px; color: #555; margin-top: 8px; }
      .scale .bar { width: 240px; height: 14px; border: 1px solid #ccc; }
      .grid { display: flex; flex-wrap: wrap; gap: 8px 10px; }
      figure { margin: 0; width: 106px; font-size: 12px; line-height: 1.3; }
      figure img { width: 96px; height: 96px; image-rendering: pixelated; display: block; border: 3px solid #ccc; }
      figure.right img { border-color: #0072B2; }
      figure.wrong img { border-color: #D55E00; border-style: dashed; }
      figure .mark { font-weight: 700; }
      figcaption { margin-top: 3px; word-break: break-word; }
      details summary { cursor: pointer; color: #0060a0; }
      footer { color: #777; font-size: 12px; margin-top: 24px; }
      """;
}
