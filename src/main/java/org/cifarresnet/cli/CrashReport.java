package org.cifarresnet.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import org.cifarresnet.checkpoint.Provenance;

/**
 * The file an internal error leaves behind for its bug report: the command, the versions and the full
 * stack trace, which the one-line message on the console leaves out.
 */
final class CrashReport {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

  private CrashReport() {}

  /**
   * Writes the report into {@code dir} (created if needed), or the system's temporary folder if that
   * fails, and returns the file's path; if no file can be written, returns "standard error" after
   * printing the report on {@code err}, so the trace is never lost.
   */
  static String write(Throwable e, Path dir, String command, PrintWriter err) {
    String text = text(e, command);
    String name = "internal-error-" + LocalDateTime.now().format(STAMP) + ".txt";
    for (Path folder : new Path[] {dir, Path.of(System.getProperty("java.io.tmpdir"))}) {
      try {
        Files.createDirectories(folder);
        // A plain write, not AtomicFiles: it must not fail for the reasons AtomicFiles reports as UserError.
        return Files.writeString(folder.resolve(name), text, StandardCharsets.UTF_8).toAbsolutePath().toString();
      } catch (IOException | SecurityException ignored) {
        // try the next folder
      }
    }
    err.print(text);
    return "standard error";
  }

  static String text(Throwable e, String command) {
    var trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    return "cifar-resnet " + Provenance.version() + ", Java " + System.getProperty("java.version") + ", "
        + System.getProperty("os.name") + " " + System.getProperty("os.arch") + "\n"
        + "command: cifar-resnet " + command + "\n\n" + trace;
  }

  /** A message as part of one line: blanks folded, at most 200 characters. */
  static String oneLine(String message) {
    String s = message == null ? "(no message)" : message.replaceAll("\\s+", " ").strip();
    return s.length() <= 200 ? s : s.substring(0, 197) + "...";
  }
}
