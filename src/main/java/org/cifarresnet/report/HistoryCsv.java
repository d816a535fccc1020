package org.cifarresnet.report;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.cifarresnet.train.EpochStats;
import org.cifarresnet.util.AtomicFiles;
import org.cifarresnet.util.UserError;

/**
 * Reads and writes {@code history.csv}, one row per finished epoch.
 *
 * <p>The columns are those of Keras' CSVLogger plus timing, so a run can be compared with the Keras
 * original in the same spreadsheet or notebook. The whole file is rewritten atomically after each epoch
 * rather than appended to: a crash then leaves the previous complete history, never a torn last line.
 *
 * <p>Numbers use {@link Locale#ROOT} so that a German or French default locale cannot turn the decimal
 * point into a comma and break the CSV. Precision is chosen per column: the learning rate is written as
 * the shortest decimal that reads back exactly, since a resumed run compares it with its schedule and a
 * fixed format would turn 5e-07 into 0.000001 or 0.000000; losses and accuracies get 6 decimals (far below
 * run-to-run noise), seconds 2 and throughput 1. Reading back returns those columns rounded to that
 * precision.
 *
 * <p>Two optional columns follow when the run records them, after the Keras ones so that a reader of
 * the first eight is unaffected: {@code val_acc_tta} (plain and mirrored views averaged, {@code train
 * --record-tta}) and {@code val_acc_no_ema} (the weights without their average, {@code train --ema --record-no-ema}).
 */
public final class HistoryCsv {
  /** The file name a run directory keeps its history under. */
  public static final String FILE_NAME = "history.csv";

  /** The exact first line; {@link #read} insists on it so that a different file is not misread. */
  public static final String HEADER = "epoch,lr,loss,acc,val_loss,val_acc,seconds,images_per_s";

  /**
   * The optional columns, in the order they follow {@link #HEADER}. A run records each from its first
   * epoch or never, so the rows tell which a file has.
   */
  enum OptionalColumn {
    TTA("val_acc_tta", EpochStats::valAccTta),
    NO_EMA("val_acc_no_ema", EpochStats::valAccNoEma);

    final String header;
    private final Function<EpochStats, Double> value;

    OptionalColumn(String header, Function<EpochStats, Double> value) {
      this.header = header;
      this.value = value;
    }

    /** This column's value in {@code row}; null where it was not recorded. */
    Double of(EpochStats row) {
      return value.apply(row);
    }

    /** The columns any of {@code rows} records, in file order. */
    static List<OptionalColumn> recordedIn(List<EpochStats> rows) {
      return Arrays.stream(values()).filter(c -> rows.stream().anyMatch(r -> c.of(r) != null)).toList();
    }
  }

  private static final int COLUMNS = 8;

  private HistoryCsv() {}

  /** Writes {@code rows} to {@code file}, replacing it in one step. */
  public static void write(Path file, List<EpochStats> rows) {
    StringBuilder sb = new StringBuilder(64 + rows.size() * 100);
    List<OptionalColumn> optional = OptionalColumn.recordedIn(rows);
    sb.append(HEADER);
    for (OptionalColumn c : optional) sb.append(',').append(c.header);
    sb.append('\n');
    for (EpochStats r : rows) {
      sb.append(r.epoch()).append(',')
          .append(formatExact(r.lr())).append(',')
          .append(fixed(r.loss(), 6)).append(',')
          .append(fixed(r.acc(), 6)).append(',')
          .append(fixed(r.valLoss(), 6)).append(',')
          .append(fixed(r.valAcc(), 6)).append(',')
          .append(fixed(r.seconds(), 2)).append(',')
          .append(fixed(r.imagesPerSecond(), 1));
      for (OptionalColumn c : optional) {
        Double v = c.of(r);
        sb.append(',').append(v == null ? "" : fixed(v, 6));
      }
      sb.append('\n');
    }
    AtomicFiles.writeString(file, sb.toString());
  }

  /**
   * Parses a history file written by {@link #write}.
   *
   * @throws UserError if the file is missing, unreadable or not a history file, naming the file and line
   */
  public static List<EpochStats> read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      Path dir = file.toAbsolutePath().getParent();
      throw new UserError(
          dir + " has no " + file.getFileName()
              + "; point to the output directory of a training run (train writes history.csv after each epoch)",
          e);
    } catch (IOException e) {
      throw new UserError(
          "cannot read " + file + ": " + AtomicFiles.describe(e) + "; check the path and its permissions", e);
    }
    return parse(file, lines);
  }

  private static List<EpochStats> parse(Path file, List<String> lines) {
    int last = lines.size();
    // A trailing newline, or a spreadsheet that adds blank lines at the end, is harmless.
    while (last > 0 && clean(lines.get(last - 1), last - 1).isBlank()) last--;
    if (last == 0) {
      throw new UserError(file + " is empty; delete it, or restore it from a copy of the run directory");
    }
    String header = clean(lines.get(0), 0);
    List<OptionalColumn> optional = optionalColumns(file, header);
    int columns = COLUMNS + optional.size();
    List<EpochStats> rows = new ArrayList<>(last - 1);
    for (int i = 1; i < last; i++) {
      int lineNo = i + 1;
      String line = clean(lines.get(i), i);
      String[] f = line.split(",", -1);
      if (f.length != columns) {
        throw malformed(file, lineNo, "has " + f.length + " columns, expected " + columns);
      }
      int epoch = parseEpoch(file, lineNo, f[0]);
      Map<OptionalColumn, Double> extra = new EnumMap<>(OptionalColumn.class);
      for (int k = 0; k < optional.size(); k++) {
        extra.put(optional.get(k), optionalNumber(file, lineNo, optional.get(k).header, f[COLUMNS + k]));
      }
      rows.add(new EpochStats(
          epoch,
          number(file, lineNo, "lr", f[1]),
          number(file, lineNo, "loss", f[2]),
          number(file, lineNo, "acc", f[3]),
          number(file, lineNo, "val_loss", f[4]),
          number(file, lineNo, "val_acc", f[5]),
          number(file, lineNo, "seconds", f[6]),
          number(file, lineNo, "images_per_s", f[7]),
          extra.get(OptionalColumn.TTA),
          extra.get(OptionalColumn.NO_EMA)));
    }
    return rows;
  }

  /** The optional columns a header names after {@link #HEADER}: each at most once, in their order. */
  private static List<OptionalColumn> optionalColumns(Path file, String header) {
    List<OptionalColumn> found = new ArrayList<>();
    boolean wellFormed = header.startsWith(HEADER);
    String rest = wellFormed ? header.substring(HEADER.length()) : "";
    if (!rest.isEmpty()) {
      wellFormed = rest.startsWith(",");
      OptionalColumn[] all = OptionalColumn.values();
      int next = 0;
      for (String name : rest.substring(1).split(",", -1)) {
        while (next < all.length && !all[next].header.equals(name)) next++;
        if (next == all.length) {
          wellFormed = false;
          break;
        }
        found.add(all[next++]);
      }
    }
    if (!wellFormed) {
      throw malformed(file, 1, "header is \"" + abbreviate(header) + "\", expected \"" + HEADER + "\" (then "
          + Arrays.stream(OptionalColumn.values()).map(c -> c.header).collect(Collectors.joining(" and "))
          + " where the run records them)");
    }
    return found;
  }

  /** Drops a Windows line ending and, on the first line, a byte-order mark an editor may have added. */
  private static String clean(String line, int index) {
    String s = line;
    if (index == 0 && s.startsWith("\uFEFF")) s = s.substring(1);
    if (s.endsWith("\r")) s = s.substring(0, s.length() - 1);
    return s;
  }

  private static int parseEpoch(Path file, int lineNo, String text) {
    String t = text.trim();
    int epoch;
    try {
      epoch = Integer.parseInt(t);
    } catch (NumberFormatException e) {
      throw malformed(file, lineNo, "epoch \"" + abbreviate(t) + "\" is not a whole number");
    }
    if (epoch < 1) throw malformed(file, lineNo, "epoch " + epoch + " is not 1 or more");
    return epoch;
  }

  /** An optional column's value; empty where the run did not record it for this epoch. */
  private static Double optionalNumber(Path file, int lineNo, String column, String text) {
    return text.isBlank() ? null : number(file, lineNo, column, text);
  }

  private static double number(Path file, int lineNo, String column, String text) {
    String t = text.trim();
    // Python's csv writer spells these nan/inf; Java's Double.toString spells them NaN/Infinity.
    switch (t.toLowerCase(Locale.ROOT)) {
      case "nan":
        return Double.NaN;
      case "inf":
      case "+inf":
      case "infinity":
      case "+infinity":
        return Double.POSITIVE_INFINITY;
      case "-inf":
      case "-infinity":
        return Double.NEGATIVE_INFINITY;
      default:
        break;
    }
    // Double.parseDouble also accepts "1d", "0x1p3" and surrounding junk like "1.0f"; a history file never
    // contains those, so insist on a plain decimal number.
    if (t.isEmpty() || !t.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
      throw malformed(file, lineNo, column + " \"" + abbreviate(t) + "\" is not a number");
    }
    return Double.parseDouble(t);
  }

  private static UserError malformed(Path file, int lineNo, String problem) {
    return new UserError(
        file + " line " + lineNo + ": " + problem
            + "; fix or remove that line, or delete the file to start the history afresh");
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }

  /** Fixed decimals in {@link Locale#ROOT}; non-finite values as NaN/Infinity, which {@link #read} accepts. */
  static String fixed(double v, int decimals) {
    if (!Double.isFinite(v)) return Double.toString(v);
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  /**
   * The shortest decimal that reads back as exactly {@code v}, spelt as Python does: plain for exponents
   * from -4 to 15 ({@code 0.001}, {@code 0.1}), otherwise scientific with a two-digit exponent
   * ({@code 1e-05}, {@code 5e-07}), so the file matches what Keras' CSVLogger writes for the same rate.
   */
  static String formatExact(double v) {
    if (!Double.isFinite(v)) return Double.toString(v);
    if (v == 0) return (1 / v < 0) ? "-0.0" : "0.0";
    // Double.toString gives a decimal that round-trips exactly; BigDecimal lets us respell it.
    BigDecimal d = new BigDecimal(Double.toString(v)).stripTrailingZeros();
    int exponent = d.precision() - d.scale() - 1; // position of the leading digit: 1e-05 -> -5
    if (exponent >= -4 && exponent < 16) {
      String plain = d.toPlainString();
      return plain.contains(".") ? plain : plain + ".0";
    }
    String digits = d.unscaledValue().abs().toString();
    StringBuilder sb = new StringBuilder();
    if (d.signum() < 0) sb.append('-');
    sb.append(digits.charAt(0));
    if (digits.length() > 1) sb.append('.').append(digits, 1, digits.length());
    sb.append('e').append(exponent < 0 ? '-' : '+');
    int abs = Math.abs(exponent);
    if (abs < 10) sb.append('0');
    sb.append(abs);
    return sb.toString();
  }
}
