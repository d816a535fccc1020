package org.cifarresnet.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/** Runs the command line in-process and captures what it prints, for tests. */
final class Cli {
  /** Exit code, standard output and standard error of one run. */
  record Outcome(int exit, String out, String err) {
    /** The error output's lines, for checking that an error is one line. */
    String[] errLines() {
      return err.strip().isEmpty() ? new String[0] : err.strip().split("\n");
    }
  }

  private Cli() {}

  static Outcome run(String... args) {
    return run(new Main(), args);
  }

  static Outcome run(Object command, String... args) {
    var err = new StringWriter();
    var out = new ByteArrayOutputStream();
    PrintStream previous = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      var cli = Main.commandLine(command);
      cli.setErr(new PrintWriter(err, true));
      int exit = cli.execute(args);
      return new Outcome(exit, out.toString(StandardCharsets.UTF_8), err.toString());
    } finally {
      System.setOut(previous);
    }
  }
}
