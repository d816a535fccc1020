package org.cifarresnet.report;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.cifarresnet.checkpoint.RunManifest;
import org.cifarresnet.checkpoint.SettingsJson;

/**
 * A run's settings and environment as key-value tables, read from its config.json through the same
 * JSON form it is saved in: a setting added to the config records later shows up here without a change.
 */
final class SettingsTable {
  private SettingsTable() {}

  /** Every setting, e.g. {@code model.depth -> 20}, in the order config.json has them. */
  static Map<String, String> settings(RunManifest m) {
    Map<String, String> rows = new LinkedHashMap<>();
    flatten("", SettingsJson.GSON.toJsonTree(m.config()), rows);
    return rows;
  }

  /** The data, software and machine, and how the run was started. */
  static Map<String, String> environment(RunManifest m) {
    Map<String, String> rows = new LinkedHashMap<>();
    if (m.provenance() != null) flatten("", SettingsJson.GSON.toJsonTree(m.provenance()), rows);
    if (m.dataset() != null) {
      var d = m.dataset();
      rows.put("dataset", d.source());
      rows.put("dataset SHA-256", d.sha256());
      rows.put("training images", String.format(Locale.ROOT, "%,d", d.trainImages()));
      rows.put("test images", String.format(Locale.ROOT, "%,d", d.testImages()));
      if (d.classNames() != null) rows.put("classes", String.join(", ", d.classNames()));
    }
    rows.put("command", m.command());
    rows.put("started", m.createdAt());
    return rows;
  }

  static void append(StringBuilder out, String heading, Map<String, String> rows) {
    out.append("<div><h3>").append(Html.esc(heading)).append("</h3>\n<table class=\"kv\">\n");
    rows.forEach((k, v) ->
        out.append("<tr><td>").append(Html.esc(k)).append("</td><td>").append(Html.esc(v == null ? "–" : v)).append("</td></tr>\n"));
    out.append("</table></div>\n");
  }

  private static void flatten(String prefix, JsonElement e, Map<String, String> rows) {
    if (e == null || e.isJsonNull()) {
      rows.put(prefix, null);
    } else if (e.isJsonObject()) {
      JsonObject o = e.getAsJsonObject();
      for (String key : o.keySet()) flatten(prefix.isEmpty() ? key : prefix + "." + key, o.get(key), rows);
    } else if (e.isJsonArray()) {
      rows.put(prefix, e.toString());
    } else {
      rows.put(prefix, e.getAsString());
    }
  }
}
