package org.cifarresnet.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.cifarresnet.train.EpochStats;
import org.cifarresnet.util.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryCsvTest {
  @TempDir Path dir;

  // Values already at the file's precision, so the round trip must be exact.
  private static final List<EpochStats> ROWS = List.of(
      new EpochStats(1, 1e-3, 1.834512, 0.342100, 1.611003, 0.425300, 61.25, 812.5),
      new EpochStats(2, 1e-3, 1.203001, 0.561234, 1.150000, 0.601000, 58.00, 850.0),
      new EpochStats(3, 1e-5, 0.512345, 0.901000, 0.700001, 0.880000, 57.99, 851.3),
      new EpochStats(4, 5e-7, 0.300000, 0.999999, 0.654321, 0.921300, 3600.5, 0.1));

  @Test
  void roundTripIsExact() {
    Path file = dir.resolve("history.csv");
    HistoryCsv.write(file, ROWS);
    assertEquals(ROWS, HistoryCsv.read(file));
  }

  @Test
  void headerAndRowsAreExact() throws IOException {
    Path file = dir.resolve("history.csv");
    HistoryCsv.write(file, ROWS);
    List<String> lines = Files.readAllLines(file);
    assertEquals("epoch,lr,loss,acc,val_loss,val_acc,seconds,images_per_s", lines.get(0));
    assertEquals("1,0.001,1.834512,0.342100,1.611003,0.425300,61.25,812.5", lines.get(1));
    assertEquals("3,1e-05,0.512345,0.901000,0.700001,0.880000,57.99,851.3", lines.get(3));
    assertEquals("4,5e-07,0.300000,0.999999,0.654321,0.921300,3600.50,0.1", lines.get(4));
    assertEquals(5, lines.size());
  }

  @Test
  void optionalColumnsFollowTheKerasOnesAndRoundTrip() throws IOException {
    Path file = dir.resolve("history.csv");
    List<EpochStats> both = List.of(ROWS.get(0).withExtras(0.4401, 0.4123), ROWS.get(1).withExtras(0.6123, 0.5999));
    HistoryCsv.write(file, both);
    List<String> lines = Files.readAllLines(file);
    assertEquals(HistoryCsv.HEADER + ",val_acc_tta,val_acc_no_ema", lines.get(0));
    assertEquals("1,0.001,1.834512,0.342100,1.611003,0.425300,61.25,812.5,0.440100,0.412300", lines.get(1));
    assertEquals(both, HistoryCsv.read(file));

    List<EpochStats> ttaOnly = List.of(ROWS.get(0).withExtras(0.4401, null));
    HistoryCsv.write(file, ttaOnly);
    assertEquals(HistoryCsv.HEADER + ",val_acc_tta", Files.readAllLines(file).get(0));
    assertEquals(ttaOnly, HistoryCsv.read(file));

    List<EpochStats> noEmaOnly = List.of(ROWS.get(0).withExtras(null, 0.4123));
    HistoryCsv.write(file, noEmaOnly);
    assertEquals(HistoryCsv.HEADER + ",val_acc_no_ema", Files.readAllLines(file).get(0));
    assertEquals(noEmaOnly, HistoryCsv.read(file));
  }

  @Test
  void anEmptyOptionalCellReadsAsNotRecorded() throws IOException {
    Path file = dir.resolve("history.csv");
    Files.writeString(file, HistoryCsv.HEADER + ",val_acc_tta\n1,0.1,1,0.5,1,0.5,1,1,\n2,0.1,1,0.5,1,0.5,1,1,0.625\n");
    List<EpochStats> rows = HistoryCsv.read(file);
    assertEquals(null, rows.get(0).valAccTta());
    assertEquals(0.625, rows.get(1).valAccTta());
  }

  @Test
  void unknownOrMisorderedOptionalColumnsAreRefusedNamingTheExpectedHeader() throws IOException {
    Path file = dir.resolve("history.csv");
    for (String extra : new String[] {",val_acc_no_ema,val_acc_tta", ",top5", ",val_acc_tta,", "x"}) {
      Files.writeString(file, HistoryCsv.HEADER + extra + "\n");
      var e = assertThrows(UserError.class, () -> HistoryCsv.read(file), extra);
      assertTrue(e.getMessage().contains("line 1: header is") && e.getMessage().contains("val_acc_tta"), e.getMessage());
    }
    Files.writeString(file, HistoryCsv.HEADER + ",val_acc_tta\n1,0.1,1,0.5,1,0.5,1,1\n");
    var e = assertThrows(UserError.class, () -> HistoryCsv.read(file));
    assertTrue(e.getMessage().contains("line 2: has 8 columns, expected 9"), e.getMessage());
  }

  @Test
  void emptyHistoryIsHeaderOnly() throws IOException {
    Path file = dir.resolve("history.csv");
    HistoryCsv.write(file, List.of());
    assertEquals(HistoryCsv.HEADER + "\n", Files.readString(file));
    assertEquals(List.of(), HistoryCsv.read(file));
  }

  @Test
  void learningRatesSurviveExactly() {
    double[] rates = {1e-3, 5e-7, 1e-5, 1e-4, 0.1, 1.0, 0.0005, 2.5e-6, 3e-4 * 0.1, 0.1 * 0.1 * 0.1, 1e16, 0.0};
    Path file = dir.resolve("history.csv");
    for (double lr : rates) {
      HistoryCsv.write(file, List.of(new EpochStats(1, lr, 1, 0.5, 1, 0.5, 1, 1)));
      assertEquals(lr, HistoryCsv.read(file).get(0).lr(), "lr " + lr);
    }
  }

  @Test
  void learningRatesAreSpeltAsKerasDoes() {
    assertEquals("0.001", HistoryCsv.formatExact(1e-3));
    assertEquals("0.0001", HistoryCsv.formatExact(1e-4));
    assertEquals("1e-05", HistoryCsv.formatExact(1e-5));
    assertEquals("5e-07", HistoryCsv.formatExact(5e-7));
    assertEquals("2.5e-06", HistoryCsv.formatExact(2.5e-6));
    assertEquals("0.1", HistoryCsv.formatExact(0.1));
    assertEquals("1.0", HistoryCsv.formatExact(1.0));
    assertEquals("100.0", HistoryCsv.formatExact(100.0));
    assertEquals("1e+16", HistoryCsv.formatExact(1e16));
    assertEquals("0.0", HistoryCsv.formatExact(0.0));
    Random random = new Random(42);
    for (int i = 0; i < 10_000; i++) {
      double v = Math.pow(10, -12 + 14 * random.nextDouble()) * random.nextDouble();
      assertEquals(v, Double.parseDouble(HistoryCsv.formatExact(v)), "value " + v);
    }
  }

  @Test
  void writesDotsWhateverTheDefaultLocale() throws IOException {
    Locale saved = Locale.getDefault();
    try {
      Locale.setDefault(Locale.GERMANY);
      Path file = dir.resolve("history.csv");
      HistoryCsv.write(file, ROWS);
      String line = Files.readAllLines(file).get(1);
      assertEquals(8, line.split(",").length, line);
      assertEquals(ROWS, HistoryCsv.read(file));
    } finally {
      Locale.setDefault(saved);
    }
  }

  @Test
  void nonFiniteLossesRoundTrip() {
    Path file = dir.resolve("history.csv");
    List<EpochStats> rows = List.of(new EpochStats(1, 0.1, Double.NaN, 0.1, Double.POSITIVE_INFINITY, 0.1, 1, 1));
    HistoryCsv.write(file, rows);
    assertEquals(rows, HistoryCsv.read(file));
  }

  @Test
  void acceptsWindowsLineEndingsAndPythonSpellings() throws IOException {
    Path file = dir.resolve("history.csv");
    Files.writeString(file, HistoryCsv.HEADER + "\r\n1,0.001,nan,0.5,inf,0.5,1.00,2.0\r\n\r\n");
    List<EpochStats> rows = HistoryCsv.read(file);
    assertEquals(1, rows.size());
    assertTrue(Double.isNaN(rows.get(0).loss()));
    assertEquals(Double.POSITIVE_INFINITY, rows.get(0).valLoss());
  }

  @Test
  void aMissingFileIsAUserError() {
    Path file = dir.resolve("history.csv");
    UserError e = assertThrows(UserError.class, () -> HistoryCsv.read(file));
    assertTrue(e.getMessage().contains(dir + " has no history.csv; "), e.getMessage());
    assertOneLine(e);
  }

  @Test
  void wrongHeaderNamesFileAndLine() throws IOException {
    assertMalformed("epoch,lr,loss,accuracy,val_loss,val_acc,seconds,images_per_s\n", "line 1");
    assertMalformed("1,0.001,1,0.5,1,0.5,1,1\n", "line 1");
  }

  @Test
  void badNumberNamesFileLineAndColumn() throws IOException {
    String message = assertMalformed(HistoryCsv.HEADER + "\n1,0.001,1,0.5,1,0.5,1,1\n2,0.001,1,0.5,x,0.5,1,1\n", "line 3");
    assertTrue(message.contains("val_loss"), message);
    assertMalformed(HistoryCsv.HEADER + "\n1,0.001,1,0.5,1,0,5,1,1\n", "line 2");
    assertMalformed(HistoryCsv.HEADER + "\n1,0.001,1,0.5,1,0.5,1\n", "line 2");
    assertMalformed(HistoryCsv.HEADER + "\n1.5,0.001,1,0.5,1,0.5,1,1\n", "line 2");
    assertMalformed(HistoryCsv.HEADER + "\n0,0.001,1,0.5,1,0.5,1,1\n", "line 2");
    assertMalformed(HistoryCsv.HEADER + "\n1,0.001,,0.5,1,0.5,1,1\n", "line 2");
    assertMalformed(HistoryCsv.HEADER + "\n1,0.001,1d,0.5,1,0.5,1,1\n", "line 2");
    assertMalformed(HistoryCsv.HEADER + "\n\n1,0.001,1,0.5,1,0.5,1,1\n", "line 2");
  }

  @Test
  void emptyFileIsAUserError() throws IOException {
    Path file = dir.resolve("history.csv");
    Files.writeString(file, "");
    UserError e = assertThrows(UserError.class, () -> HistoryCsv.read(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    assertOneLine(e);
  }

  @Test
  void leavesNoTemporaryFiles() throws IOException {
    Path file = dir.resolve("history.csv");
    HistoryCsv.write(file, ROWS);
    HistoryCsv.write(file, ROWS.subList(0, 2));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList());
    }
    assertEquals(ROWS.subList(0, 2), HistoryCsv.read(file));
  }

  @Test
  void createsMissingDirectories() {
    Path file = dir.resolve("run/nested/history.csv");
    HistoryCsv.write(file, ROWS);
    assertEquals(ROWS, HistoryCsv.read(file));
  }

  private String assertMalformed(String content, String where) throws IOException {
    Path file = dir.resolve("history.csv");
    Files.writeString(file, content, StandardCharsets.UTF_8);
    UserError e = assertThrows(UserError.class, () -> HistoryCsv.read(file), content);
    assertTrue(e.getMessage().startsWith(file + " " + where + ": "), e.getMessage());
    assertOneLine(e);
    return e.getMessage();
  }

  private static void assertOneLine(UserError e) {
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }
}
