package org.cifarresnet.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.cifarresnet.checkpoint.Checkpoint;
import org.cifarresnet.checkpoint.CheckpointInfo;
import org.cifarresnet.checkpoint.Provenance;
import org.cifarresnet.checkpoint.RunDirectory;
import org.cifarresnet.checkpoint.RunLock;
import org.cifarresnet.checkpoint.RunManifest;
import org.cifarresnet.config.Precision;
import org.cifarresnet.config.RunConfig;
import org.cifarresnet.data.CifarDataset;
import org.cifarresnet.data.Split;
import org.cifarresnet.platform.Device;
import org.cifarresnet.train.StopSignal;
import org.cifarresnet.train.TrainingListener;
import org.cifarresnet.train.TrainingState;
import org.cifarresnet.util.RefusedValue;
import org.cifarresnet.util.UserError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code resume}: continue a run from its last checkpoint with the same optimizer state, epoch,
 * schedule and data order, so an interrupted run ends where an uninterrupted one would. A run stopped
 * before its first checkpoint starts over from its config.json, with the same settings.
 */
@Command(name = "resume", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Continue a stopped or finished run from its last checkpoint (or start it over if it has none).")
final class ResumeCommand implements Callable<Integer>, RunCommand {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RUN_DIR", description = "the run directory")
  Path dir;

  @Option(names = "--epochs", paramLabel = "N", description = "train to this many epochs in all (default: the run's own)")
  Integer epochs;

  @Option(names = "--data", paramLabel = "PATH", description = "the data, if it moved since the run started")
  Path data;

  @Option(names = "--precision", paramLabel = "P",
      description = "fp32, bf16 or auto: go on in another precision (default: the one the run computed in)")
  String precision;

  @Mixin ThreadsOption threads;

  @Mixin DeviceOption device;

  /** Tests set these to stop a run at a chosen step; by default SIGINT and SIGTERM stop it. */
  StopSignal stop;

  List<TrainingListener> extraListeners = List.of();

  @Override
  public Path runDirectory() {
    return dir;
  }

  @Override
  public Integer call() {
    RunDirectory.existing(dir); // before the lock, which would leave a .lock file in a directory that holds no run
    Device on = device.resolve();
    threads.get(); // the engine's thread count, before a precision check opens the first session
    try (RunLock lock = RunLock.acquire(dir)) { // before anything is written; released when the run ends
      RunDirectory run = RunDirectory.existing(dir); // again: another process may have changed it meanwhile
      return run.hasCheckpoint() ? resume(run, on) : startOver(run, on);
    }
  }

  private Integer resume(RunDirectory run, Device on) {
    PrintWriter out = spec.commandLine().getOut();
    Checkpoint last = Checkpoint.load(run.last());
    CheckpointInfo info = last.info();
    RunConfig config = withPrecision(withEpochs(info.config()), info.provenance(), on);
    if (info.state().epochsDone() >= config.training().epochs()) {
      out.println("the run has finished its " + config.training().epochs() + " epochs; pass --epochs N to train further");
      return 0;
    }
    if (!last.hasOptimizerState()) {
      throw new UserError(run.last() + " has no optimizer state; it cannot be resumed");
    }
    CifarDataset dataset = DataOption.load(data != null ? data : recorded(info.dataset()), out, spec.commandLine().getErr());
    warnIfOtherData(dataset, info.dataset());
    Split train = DataOption.trainingSplit(config, dataset);
    if (!config.equals(info.config())) recordSettings(run, config);
    RunLauncher.launch(spec.commandLine(), config, dataset, train, run, info.state(), last, threads.get(), on, stop, extraListeners);
    return 0;
  }

  /**
   * A run killed before its first epoch ended has no checkpoint, and nothing to continue from: it
   * trains again from the start, with the settings and data config.json records.
   */
  private Integer startOver(RunDirectory run, Device on) {
    PrintWriter out = spec.commandLine().getOut();
    RunManifest manifest = RunManifest.read(run.config());
    RunConfig config = withPrecision(withEpochs(manifest.config()), manifest.provenance(), on);
    out.println("no checkpoint yet (stopped before epoch 1 ended): starting the run over from " + run.config()
        + " with the same settings");
    CifarDataset dataset = DataOption.load(data != null ? data : recorded(manifest.dataset()), out, spec.commandLine().getErr());
    warnIfOtherData(dataset, manifest.dataset());
    Split train = DataOption.trainingSplit(config, dataset);
    if (!config.equals(manifest.config())) recordSettings(run, config);
    RunLauncher.launch(spec.commandLine(), config, dataset, train, run, TrainingState.start(), null, threads.get(), on, stop,
        extraListeners);
    return 0;
  }

  private RunConfig withEpochs(RunConfig config) {
    if (epochs == null) return config;
    try {
      return config.with(config.training().withEpochs(epochs));
    } catch (RefusedValue e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /**
   * The precision to go on in: {@code --precision} if given, else the one the run computed in. A run
   * begun with auto keeps what auto chose where it began: resumed on a CPU where auto would choose
   * otherwise (the machine changed), its numerics would change in mid-run. Either way refused where
   * it is bf16 and bf16 computes wrongly here.
   */
  private RunConfig withPrecision(RunConfig config, Provenance recorded, Device on) {
    Precision asked = config.training().precision();
    if (precision != null) {
      asked = TrainCommand.parsePrecision(spec, precision);
    } else if (asked == Precision.AUTO && recorded != null && recorded.precision() != null && on == Device.CPU) {
      asked = recorded.precision(); // what auto resolved to: fp32 or bf16
    }
    TrainCommand.resolvePrecision(spec, asked, on);
    return asked == config.training().precision() ? config : config.with(config.training().withPrecision(asked));
  }

  /** The data the run recorded; a record without a usable path asks for --data. */
  private Path recorded(CheckpointInfo.DatasetInfo dataset) {
    try {
      if (dataset != null && dataset.source() != null) return Path.of(dataset.source());
    } catch (InvalidPathException e) {
      // not a path on this system: ask for --data below
    }
    throw new UserError("run directory " + dir + " does not say where its data is; pass --data PATH");
  }

  private void warnIfOtherData(CifarDataset dataset, CheckpointInfo.DatasetInfo recorded) {
    if (recorded != null && !dataset.sha256().equals(recorded.sha256())) {
      spec.commandLine().getOut().println("warning: the data's checksum differs from the run's; the run continues on the new data");
    }
  }

  /** config.json states the run's settings: after {@code --epochs} it names the new count (reports read it). */
  private static void recordSettings(RunDirectory run, RunConfig config) {
    if (!Files.exists(run.config())) return;
    RunManifest m = RunManifest.read(run.config());
    new RunManifest(config, m.dataset(), m.provenance(), m.command(), m.createdAt()).write(run.config());
  }
}
