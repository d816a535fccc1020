package org.cifarresnet.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.cifarresnet.checkpoint.Checkpoint;
import org.cifarresnet.checkpoint.CheckpointInfo;
import org.cifarresnet.checkpoint.RunDirectory;
import org.cifarresnet.checkpoint.RunLock;
import org.cifarresnet.checkpoint.RunManifest;
import org.cifarresnet.config.RunConfig;
import org.cifarresnet.data.CifarDataset;
import org.cifarresnet.data.Split;
import org.cifarresnet.platform.Device;
import org.cifarresnet.train.StopSignal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code resume}: continue a run from its last checkpoint with the same optimizer state, epoch,
 * schedule and data order, so an interrupted run ends where an uninterrupted one would.
 */
@Command(name = "resume", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Continue a stopped or finished run from its last checkpoint.")
final class ResumeCommand implements Callable<Integer>, RunCommand {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RUN_DIR", description = "the run directory")
  Path dir;

  @Option(names = "--epochs", paramLabel = "N", description = "train to this many epochs in all (default: the run's own)")
  Integer epochs;

  @Option(names = "--data", paramLabel = "PATH", description = "the data, if it moved since the run started")
  Path data;

  @Mixin ThreadsOption threads;

  @Mixin DeviceOption device;

  /** Tests set these to stop a run at a chosen step; by default SIGINT and SIGTERM stop it. */
  StopSignal stop;

  java.util.List<org.cifarresnet.train.TrainingListener> extraListeners = java.util.List.of();

  @Override
  public Path runDirectory() {
    return dir;
  }

  @Override
  public Integer call() {
    RunDirectory run = RunDirectory.existing(dir);
    Device on = device.resolve();
    try (RunLock lock = RunLock.acquire(dir)) { // before anything is written; released when the run ends
      return resume(run, on);
    }
  }

  private Integer resume(RunDirectory run, Device on) {
    Checkpoint last = Checkpoint.load(run.last());
    CheckpointInfo info = last.info();
    RunConfig config = info.config();
    if (epochs != null) {
      try {
        config = config.with(config.training().withEpochs(epochs));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
    }
    if (info.state().epochsDone() >= config.training().epochs()) {
      System.out.println("the run has finished its " + config.training().epochs() + " epochs; pass --epochs N to train further");
      return 0;
    }
    if (!last.hasOptimizerState()) {
      throw new org.cifarresnet.util.UserError(run.last() + " has no optimizer state; it cannot be resumed");
    }
    CifarDataset dataset = DataOption.load(data != null ? data : Path.of(info.dataset().source()));
    if (!dataset.sha256().equals(info.dataset().sha256())) {
      System.out.println("warning: the data's checksum differs from the run's; the run continues on the new data");
    }
    Split train = DataOption.trainingSplit(config, dataset);
    if (epochs != null) recordSettings(run, config);
    RunLauncher.launch(config, dataset, train, run, info.state(), last, threads.get(), on, stop != null ? stop : StopSignal.installForSignals(), extraListeners);
    return 0;
  }

  /** config.json states the run's settings: after {@code --epochs} it names the new count (reports read it). */
  private static void recordSettings(RunDirectory run, RunConfig config) {
    if (!Files.exists(run.config())) return;
    RunManifest m = RunManifest.read(run.config());
    new RunManifest(config, m.dataset(), m.provenance(), m.command(), m.createdAt()).write(run.config());
  }
}
