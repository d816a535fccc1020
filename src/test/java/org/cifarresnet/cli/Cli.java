package org.cifarresnet.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.cifarresnet.train.TrainingListener;

/**
 * Runs the command line in-process, for tests, and captures what it prints. Commands print through
 * their command line's writers, so nothing global (System.out, System.err) is swapped, and tests may
 * run side by side.
 */
public final class Cli {
  /** Exit code, standard output and standard error of one run. */
  public record Outcome(int exit, String out, String err) {
    /** The error output's lines, for checking that an error is one line. */
    public List<String> errLines() {
      return err.strip().isEmpty() ? List.of() : err.strip().lines().toList();
    }
  }

  private Cli() {}

  /** {@code cifar-resnet ARGS}, as {@link Main#run} runs it. */
  public static Outcome run(String... args) {
    return run(new Main(), args);
  }

  /** One command object (e.g. a TrainCommand with test hooks set) with this program's error handling. */
  static Outcome run(Object command, String... args) {
    var out = new StringWriter();
    var err = new StringWriter();
    var cli = Main.commandLine(command);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = Main.execute(cli, args);
    return new Outcome(exit, out.toString(), err.toString());
  }

  /** A listener that runs {@code action} once step {@code step} of epoch {@code epoch} (1-based) is done. */
  static TrainingListener atStep(int epoch, int step, Runnable action) {
    return new TrainingListener() {
      @Override
      public void onBatchEnd(BatchEnd e) {
        if (e.epoch() == epoch && e.progress().batchesDone() == step) action.run();
      }
    };
  }
}
