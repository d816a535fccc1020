package org.cifarresnet.cli;

import java.io.PrintWriter;
import java.util.List;
import org.cifarresnet.checkpoint.Provenance;
import org.cifarresnet.platform.PlatformReport;
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
  public static final int EXIT_STOPPED = 130;

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
    return commandLine(new Main()).execute(args);
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

  private static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
    PrintWriter err = cli.getErr();
    if (e instanceof TrainingStopped stopped) {
      err.println(stopped.getMessage() + "; " + stoppedHint(cli));
      err.flush();
      return EXIT_STOPPED;
    }
    if (e instanceof UserError || e instanceof IllegalArgumentException) {
      err.println("error: " + e.getMessage());
      err.flush();
      return e instanceof UserError ? 1 : CommandLine.ExitCode.USAGE;
    }
    err.println("error: unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage()
        + (System.getenv("CIFAR_RESNET_DEBUG") == null ? " (set CIFAR_RESNET_DEBUG=1 for details)" : ""));
    if (System.getenv("CIFAR_RESNET_DEBUG") != null) e.printStackTrace(err);
    err.flush();
    return 1;
  }

  private static String stoppedHint(CommandLine cli) {
    Object command = cli.getCommand();
    if (command instanceof RunCommand run && run.runDirectory() != null) {
      return "saved; continue with: ./cifar-resnet resume " + run.runDirectory();
    }
    return "saved";
  }

  /** Prints this program's and TensorFlow's versions, and the platform, CPU features and devices. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      var lines = new java.util.ArrayList<>(List.of("cifar-resnet " + Provenance.version()));
      lines.addAll(PlatformReport.lines());
      return lines.toArray(String[]::new);
    }
  }
}
