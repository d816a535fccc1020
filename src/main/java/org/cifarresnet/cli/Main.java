package org.cifarresnet.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cifarresnet.checkpoint.Provenance;
import org.cifarresnet.data.CifarDownloader;
import org.cifarresnet.platform.PlatformReport;
import org.cifarresnet.train.StopSignal;
import org.cifarresnet.train.TrainingStopped;
import org.cifarresnet.util.UserError;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ./cifar-resnet}. */
@Command(
    name = "cifar-resnet",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Train ResNet v1 (ResNet20 first) on CIFAR-10, evaluate it and predict with it.",
    subcommands = {
      TrainCommand.class, ResumeCommand.class, EvaluateCommand.class, PredictCommand.class, BenchmarkCommand.class,
      ImportKerasCommand.class, ExportCommand.class,
      ReportCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {
  /** Exit code of a run stopped by Ctrl-C or SIGTERM, saved for resume (128 + SIGINT, as shells report it). */
  public static final int EXIT_STOPPED = 130;
  /**
   * Exit code of an internal error, a bug of ours rather than the user's input: sysexits.h's
   * EX_SOFTWARE, apart from 1 (the user's error), 2 (bad usage) and 130 (stopped).
   */
  public static final int EXIT_INTERNAL_ERROR = 70;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required: train, resume, evaluate or predict");
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code; the tests call this. */
  public static int run(String... args) {
    return execute(commandLine(new Main()), args);
  }

  /**
   * Executes {@code cli}; an {@link Error} (a stack overflow, say) escapes picocli's handler, which
   * sees only exceptions, and is reported here the same way.
   */
  static int execute(CommandLine cli, String... args) {
    try {
      return cli.execute(args);
    } catch (Error e) {
      CommandLine parsed = cli;
      for (var p = cli.getParseResult(); p != null; p = p.subcommand()) parsed = p.commandSpec().commandLine();
      return internalError(e, parsed);
    }
  }

  /** A command line for {@code command} with this program's error handling and exit codes. */
  static CommandLine commandLine(Object command) {
    CommandLine cli = new CommandLine(command);
    cli.setExecutionExceptionHandler(Main::handle);
    // One line naming the problem, not the usage text: the user asked for help with --help.
    cli.setParameterExceptionHandler((ex, ignoredArgs) -> {
      PrintWriter err = ex.getCommandLine().getErr();
      err.println("error: " + ex.getMessage() + "; see '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'");
      err.flush();
      return CommandLine.ExitCode.USAGE;
    });
    return cli;
  }

  /**
   * Quits at once, without saving: a second Ctrl-C while a stop is pending. Only the entry point ends
   * the process; library code asks for it through {@link StopSignal}.
   */
  static void quitWithoutSaving() {
    Runtime.getRuntime().halt(EXIT_STOPPED);
  }

  private static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
    PrintWriter err = cli.getErr();
    if (e instanceof TrainingStopped stopped) {
      err.println(stopped.getMessage() + "; " + stoppedHint(cli));
      err.flush();
      return EXIT_STOPPED;
    }
    if (e instanceof UserError) {
      err.println("error: " + e.getMessage());
      err.flush();
      return 1;
    }
    // Usage errors arrive as picocli's ParameterException, which never reaches this handler: anything
    // else is a bug of ours, whatever its type, and is reported as one.
    return internalError(e, cli);
  }

  /**
   * One line naming the failure as ours, with the full stack trace in a file: the run directory where
   * the command has one, else the cache directory.
   */
  private static int internalError(Throwable e, CommandLine cli) {
    Path dir = cli.getCommand() instanceof RunCommand run && run.runDirectory() != null
        ? run.runDirectory() : CifarDownloader.cacheDir();
    PrintWriter err = cli.getErr();
    String where = CrashReport.write(e, dir, String.join(" ", cli.getParseResult() == null ? List.of()
        : cli.getParseResult().originalArgs()), err);
    err.println("internal error: " + e.getClass().getSimpleName() + ": " + CrashReport.oneLine(e.getMessage())
        + "; details in " + where + "; please report it");
    err.flush();
    return EXIT_INTERNAL_ERROR;
  }

  private static String stoppedHint(CommandLine cli) {
    Object command = cli.getCommand();
    if (command instanceof RunCommand run && run.runDirectory() != null) {
      return "saved; continue with: " + Launcher.command() + " resume " + run.runDirectory();
    }
    return "saved";
  }

  /** Prints this program's and TensorFlow's versions, and the platform, CPU features and devices. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      var lines = new ArrayList<>(List.of("cifar-resnet " + Provenance.version()));
      lines.addAll(PlatformReport.lines());
      return lines.toArray(String[]::new);
    }
  }
}
