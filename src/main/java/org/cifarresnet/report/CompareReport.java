package org.cifarresnet.report;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.cifarresnet.checkpoint.RunManifest;
import org.cifarresnet.train.EpochStats;

/**
 * One self-contained page that compares several runs: their test accuracy and loss per epoch overlaid,
 * one colour per run, a table of their results, and the settings in which they differ.
 */
public final class CompareReport {
  /** The ids of the page's sections. */
  public static final List<String> SECTIONS = List.of("curves", "runs", "differences");

  /** The chart's line styles (solid, dashed, dotted, dash-dot) as near as CSS borders come. */
  private static final String[] LINE_CSS = {"solid", "dashed", "dotted", "dashed"};

  private CompareReport() {}

  /**
   * One run to compare.
   *
   * @param name how the page calls it
   * @param link a relative link to its own report page, or null
   * @param history its rows, one per finished epoch
   * @param manifest its config.json, or null
   */
  public record Run(String name, String link, List<EpochStats> history, RunManifest manifest) {
    public Run {
      // Rows of a resumed run may be out of order; the chart and "final" want them by epoch.
      List<EpochStats> sorted = new ArrayList<>(history);
      sorted.sort(Comparator.comparingInt(EpochStats::epoch));
      history = List.copyOf(sorted);
    }
  }

  public static String render(List<Run> runs, OffsetDateTime generatedAt) {
    StringBuilder out = new StringBuilder(1 << 18);
    Html.openPage(out, "Comparing " + runs.size() + " runs – cifar-resnet", 0);
    out.append("<header><h1>Comparing ").append(runs.size()).append(" runs</h1>\n<p class=\"subtitle\">");
    for (int i = 0; i < runs.size(); i++) out.append(i == 0 ? "" : " · ").append(Html.esc(runs.get(i).name()));
    out.append("</p>\n</header>\n<nav>");
    for (String id : SECTIONS) out.append("<a href=\"#").append(id).append("\">").append(id).append("</a>");
    out.append("</nav>\n");

    Html.openSection(out, "curves", "Test accuracy and loss");
    List<String> names = runs.stream().map(Run::name).toList();
    Html.chart(out, ReportCharts.compare(names, runs.stream().map(Run::history).toList()),
        "test accuracy and test loss per epoch, one line per run", 1200);
    Html.closeSection(out);

    Html.openSection(out, "runs", "Results");
    results(out, runs);
    Html.closeSection(out);

    Html.openSection(out, "differences", "Settings that differ");
    differences(out, runs);
    Html.closeSection(out);

    out.append("<footer>Made by cifar-resnet at ")
        .append(Html.esc(generatedAt.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm xxx", Locale.ROOT))))
        .append(". Everything is inside this file: it opens offline.</footer>\n");
    Html.closePage(out);
    return out.toString();
  }

  private static void results(StringBuilder out, List<Run> runs) {
    out.append("<table>\n<tr><th>run</th><th>line</th><th>preset</th><th class=\"num\">depth</th><th class=\"num\">epochs</th>"
        + "<th class=\"num\">best test accuracy</th><th class=\"num\">final test accuracy</th><th class=\"num\">final test loss</th>"
        + "<th class=\"num\">training time</th><th class=\"num\">images/s</th></tr>\n");
    for (int i = 0; i < runs.size(); i++) {
      Run r = runs.get(i);
      var c = r.manifest() == null ? null : r.manifest().config();
      var rgb = ReportCharts.PALETTE[i % ReportCharts.PALETTE.length].getRGB() & 0xFFFFFF;
      out.append("<tr><td>").append(r.link() == null ? Html.esc(r.name())
              : "<a href=\"" + Html.esc(r.link()) + "\">" + Html.esc(r.name()) + "</a>")
          .append(String.format(Locale.ROOT, "</td><td><span style=\"display:inline-block;width:30px;border-top:3px %s #%06x;"
              + "vertical-align:middle\"></span></td>", LINE_CSS[i % LINE_CSS.length], rgb))
          .append("<td>").append(c == null ? "–" : Html.esc(c.preset())).append("</td><td class=\"num\">")
          .append(c == null ? "–" : c.model().depth()).append("</td><td class=\"num\">").append(r.history().size())
          .append(c == null ? "" : " / " + c.training().epochs()).append("</td>");
      EpochStats best = null;
      for (EpochStats s : r.history()) if (best == null || s.valAcc() > best.valAcc()) best = s;
      if (best == null) {
        out.append("<td class=\"num\" colspan=\"5\">no finished epoch</td></tr>\n");
        continue;
      }
      EpochStats last = r.history().get(r.history().size() - 1);
      double seconds = r.history().stream().mapToDouble(EpochStats::seconds).sum();
      out.append("<td class=\"num\">").append(Html.percent(best.valAcc())).append(" (epoch ").append(best.epoch()).append(")</td>")
          .append("<td class=\"num\">").append(Html.percent(last.valAcc())).append("</td><td class=\"num\">")
          .append(Html.fixed(last.valLoss(), 4)).append("</td><td class=\"num\">").append(Html.duration(seconds))
          .append("</td><td class=\"num\">").append(Html.fixed(last.imagesPerSecond(), 0)).append("</td></tr>\n");
    }
    out.append("</table>\n");
  }

  /** A row for each setting or environment entry whose value is not the same in every run. */
  private static void differences(StringBuilder out, List<Run> runs) {
    List<Map<String, String>> all = new ArrayList<>();
    Set<String> keys = new LinkedHashSet<>();
    for (Run r : runs) {
      Map<String, String> m = new LinkedHashMap<>();
      if (r.manifest() != null) {
        m.putAll(SettingsTable.settings(r.manifest()));
        m.putAll(SettingsTable.environment(r.manifest()));
      }
      // The command and start time always differ and say nothing about why results differ.
      m.remove("command");
      m.remove("started");
      all.add(m);
      keys.addAll(m.keySet());
    }
    List<String> differing = keys.stream()
        .filter(k -> all.stream().map(m -> m.get(k)).distinct().count() > 1 || all.stream().anyMatch(m -> !m.containsKey(k)))
        .toList();
    if (differing.isEmpty()) {
      Html.note(out, "The runs have the same settings, data, software and machine: they differ only by chance.");
      return;
    }
    out.append("<table>\n<tr><th>setting</th>");
    for (Run r : runs) out.append("<th>").append(Html.esc(r.name())).append("</th>");
    out.append("</tr>\n");
    for (String k : differing) {
      out.append("<tr><td>").append(Html.esc(k)).append("</td>");
      for (Map<String, String> m : all) out.append("<td>").append(Html.esc(Objects.requireNonNullElse(m.get(k), "–"))).append("</td>");
      out.append("</tr>\n");
    }
    out.append("</table>\n");
  }
}
