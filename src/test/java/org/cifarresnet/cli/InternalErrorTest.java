package org.cifarresnet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cifarresnet.data.CifarDownloader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Command;

/**
 * A bug of ours is never reported as the user's mistake: whatever its type, the user sees one line
 * naming it as an internal error, exit 70, and the stack trace lands in a file for the bug report.
 */
class InternalErrorTest {
  private static final Pattern LINE =
      Pattern.compile("internal error: (\\w+): (.*); details in (.+); please report it");

  @TempDir Path dir;

  /** A command with a bug in it: it throws what it is given. */
  @Command(name = "buggy")
  static class Buggy implements Callable<Integer> {
    final Throwable bug;

    Buggy(Throwable bug) {
      this.bug = bug;
    }

    @Override
    public Integer call() throws Exception {
      if (bug instanceof Exception e) throw e;
      throw (Error) bug;
    }
  }

  /** The same, in a command that has a run directory. */
  @Command(name = "buggy-run")
  static final class BuggyRun extends Buggy implements RunCommand {
    final Path run;

    BuggyRun(Throwable bug, Path run) {
      super(bug);
      this.run = run;
    }

    @Override
    public Path runDirectory() {
      return run;
    }
  }

  /** Checks the one line and returns the file it names, which must hold the trace. */
  private static Path reported(Cli.Outcome r, String type, String message) throws IOException {
    assertEquals(Main.EXIT_INTERNAL_ERROR, r.exit(), r.err());
    assertEquals(1, r.errLines().size(), r.err());
    Matcher m = LINE.matcher(r.errLines().get(0));
    assertTrue(m.matches(), r.err());
    assertEquals(type, m.group(1));
    assertEquals(message, m.group(2));
    Path file = Path.of(m.group(3));
    String trace = Files.readString(file);
    assertTrue(trace.contains(type + ": "), trace);
    assertTrue(trace.contains("\tat " + InternalErrorTest.class.getName() + "."), "the full stack trace: " + trace);
    return file;
  }

  @Test
  void aNullPointerExceptionIsAnInternalErrorWithItsTraceInTheCacheDirectory() throws IOException {
    Path file = reported(Cli.run(new Buggy(new NullPointerException("a bug of ours"))), "NullPointerException", "a bug of ours");
    try {
      assertEquals(CifarDownloader.cacheDir(), file.getParent());
    } finally {
      Files.delete(file);
    }
  }

  @Test
  void anIllegalArgumentExceptionOfOursIsNotBadUsage() throws IOException {
    Path file = reported(Cli.run(new BuggyRun(new IllegalArgumentException("index -1"), dir)), "IllegalArgumentException", "index -1");
    assertEquals(dir, file.getParent(), "a run's trace goes to its run directory");
  }

  @Test
  void anErrorIsReportedTheSameWay() throws IOException {
    reported(Cli.run(new BuggyRun(new StackOverflowError("deep"), dir)), "StackOverflowError", "deep");
  }

  @Test
  void aMessageOverSeveralLinesStaysOneLine() throws IOException {
    reported(Cli.run(new BuggyRun(new IllegalStateException("first\n  second"), dir)), "IllegalStateException", "first second");
  }

  @Test
  void aTraceThatCannotBeWrittenWhereItShouldGoesToTheTemporaryFolder() throws IOException {
    Path notADirectory = Files.writeString(dir.resolve("file"), "");
    Path file = reported(Cli.run(new BuggyRun(new NullPointerException("x"), notADirectory)), "NullPointerException", "x");
    try {
      assertEquals(Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath(), file.getParent());
    } finally {
      Files.delete(file);
    }
  }
}
