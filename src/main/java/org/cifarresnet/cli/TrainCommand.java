package org.cifarresnet.cli;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import org.cifarresnet.checkpoint.Provenance;
import org.cifarresnet.checkpoint.RunDirectory;
import org.cifarresnet.checkpoint.RunLock;
import org.cifarresnet.checkpoint.RunManifest;
import org.cifarresnet.config.DataConfig;
import org.cifarresnet.config.OptimizerConfig;
import org.cifarresnet.config.Precision;
import org.cifarresnet.config.Presets;
import org.cifarresnet.config.RunConfig;
import org.cifarresnet.data.CifarDataset;
import org.cifarresnet.data.Split;
import org.cifarresnet.platform.Device;
import org.cifarresnet.train.StopSignal;
import org.cifarresnet.train.TrainingListener;
import org.cifarresnet.train.TrainingState;
import org.cifarresnet.util.RefusedValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code train}: a new run from a preset, with options overriding it. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Train a ResNet on CIFAR-10 into a run directory.")
final class TrainCommand implements Callable<Integer>, RunCommand {
  @Spec CommandSpec spec;

  @Option(names = "--data", paramLabel = "PATH",
      description = "cifar-10-binary.tar.gz or its extracted cifar-10-batches-bin folder (default: the cached download)")
  Path data;

  @Option(names = "--out", paramLabel = "DIR", description = "run directory (default: runs/<timestamp>)")
  Path out;

  @Option(names = "--preset", paramLabel = "NAME", defaultValue = "keras",
      description = "keras (the Keras example: Adam, 200 epochs, augmentation), seed (the original run: 50 epochs, no augmentation), fast (ours: SGD Nesterov, one-cycle, batch 128, 24 epochs; evaluate it with --tta) or paper (He et al. 4.2: SGD momentum, lr 0.1 /10 at 32k and 48k iterations, batch 128, crops and flips, 164 epochs); default ${DEFAULT-VALUE}")
  String preset;

  @Option(names = "--epochs", paramLabel = "N", description = "epochs to train")
  Integer epochs;

  @Option(names = "--batch-size", paramLabel = "N", description = "images per step")
  Integer batchSize;

  @Option(names = "--lr", paramLabel = "X", description = "base learning rate")
  Double lr;

  @Option(names = "--label-smoothing", paramLabel = "X",
      description = "share of each training target spread over all classes, 0 to 0.5 (fast preset: 0.1; others: 0)")
  Double labelSmoothing;

  @Option(names = "--warmup-epochs", paramLabel = "X",
      description = "epochs of the one-cycle rate's rise to its peak (fast preset only: 2); it then falls to 0 at the end")
  Double warmupEpochs;

  @Option(names = "--no-augment", description = "no random shifts and flips")
  boolean noAugment;

  @Option(names = "--shift", paramLabel = "N",
      description = "largest random shift of a training image, in pixels, 0 to " + DataConfig.MAX_SHIFT + " (keras: 3; fast and paper: 4); 0: flips only")
  Integer shift;

  @Option(names = "--depth", paramLabel = "N", description = "network depth 6n+2: 20, 32, 44, 56, 110")
  Integer depth;

  @Option(names = "--limit", paramLabel = "N", description = "train on the first N training images only (the test set stays whole)")
  Integer limit;

  @Option(names = "--seed", paramLabel = "N", description = "seed for weights, data order and augmentation")
  Long seed;

  @Option(names = "--precision", paramLabel = "P", description = "fp32, bf16 or auto (bf16 where the CPU has it and bf16 passes a short check; the default)")
  String precision;

  @Option(names = "--ema", paramLabel = "DECAY", arity = "0..1", fallbackValue = "0.999",
      description = "evaluate and keep as best an exponential moving average of the weights, with this decay"
          + " (0.999 when given alone: about the last 1,000 steps)")
  Double ema;

  @Option(names = "--record-tta",
      description = "also record each epoch's test accuracy with test-time augmentation (plain and mirrored views"
          + " averaged) in history.csv's val_acc_tta; val_acc and the best checkpoint stay the plain view")
  boolean recordTta;

  @Option(names = "--record-no-ema",
      description = "with --ema, also record each epoch's test accuracy of the weights as trained, without the average,"
          + " in history.csv's val_acc_no_ema")
  boolean recordNoEma;

  @Option(names = "--log-every", paramLabel = "N",
      description = "also log the training loss and accuracy to TensorBoard every N steps (default: once per epoch); resume keeps it")
  Integer logEvery;

  @Mixin ThreadsOption threads;

  @Mixin DeviceOption device;

  private Path runDirectory;

  /** Tests set these to stop a run at a chosen step; by default SIGINT and SIGTERM stop it. */
  StopSignal stop;

  List<TrainingListener> extraListeners = List.of();

  @Override
  public Path runDirectory() {
    return runDirectory;
  }

  /** The preset with this command's options applied; bad values are usage errors. */
  RunConfig config() {
    if (!Presets.names().contains(preset)) {
      throw new ParameterException(spec.commandLine(),
          "unknown preset '" + preset + "'; choose one of " + String.join(", ", Presets.names()));
    }
    try {
      RunConfig c = Presets.byName(preset);
      if (depth != null) c = c.with(c.model().withDepth(depth));
      if (lr != null) c = c.with(c.optimizer().withLr(lr));
      if (labelSmoothing != null) {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 0.5)) {
          throw new ParameterException(spec.commandLine(), "--label-smoothing must be between 0 and 0.5, got " + labelSmoothing);
        }
        c = c.with(c.model().withLabelSmoothing(labelSmoothing));
      }
      if (noAugment) c = c.with(c.data().withAugment(false));
      if (shift != null) {
        if (noAugment) throw new ParameterException(spec.commandLine(), "--shift sets the augmentation that --no-augment turns off; give one of them");
        if (!c.data().augment()) {
          throw new ParameterException(spec.commandLine(), "--shift sets the augmentation of a preset that has it; preset '" + preset + "' trains without");
        }
        if (shift < 0 || shift > DataConfig.MAX_SHIFT) {
          throw new ParameterException(spec.commandLine(), "--shift must be between 0 and " + DataConfig.MAX_SHIFT + " pixels, got " + shift);
        }
        c = c.with(c.data().withMaxShift(shift));
      }
      if (limit != null) {
        if (limit < 1) throw new ParameterException(spec.commandLine(), "--limit must be at least 1, got " + limit);
        c = c.with(c.data().withLimit(limit));
      }
      if (epochs != null) c = c.with(c.training().withEpochs(epochs));
      if (batchSize != null) c = c.with(c.training().withBatchSize(batchSize));
      if (warmupEpochs != null) {
        if (c.optimizer().schedule() != OptimizerConfig.Schedule.ONE_CYCLE) {
          throw new ParameterException(spec.commandLine(), "--warmup-epochs shapes the one-cycle rate of --preset fast; preset '"
              + preset + "' has a fixed schedule");
        }
        if (!(warmupEpochs >= 0 && warmupEpochs < c.training().epochs())) {
          throw new ParameterException(spec.commandLine(), "--warmup-epochs must be 0 or more and below the "
              + c.training().epochs() + " epochs, got " + warmupEpochs);
        }
        c = c.with(c.optimizer().withWarmupEpochs(warmupEpochs));
      }
      if (seed != null) c = c.with(c.training().withSeed(seed));
      if (precision != null) c = c.with(c.training().withPrecision(parsePrecision(spec, precision)));
      if (ema != null) c = c.with(c.training().withEma(ema));
      if (recordTta) c = c.with(c.training().withRecordTta(true));
      if (recordNoEma) {
        if (c.training().ema() == 0) throw new ParameterException(spec.commandLine(), "--record-no-ema needs --ema");
        c = c.with(c.training().withRecordNoEma(true));
      }
      if (logEvery != null) {
        if (logEvery < 1) throw new ParameterException(spec.commandLine(), "--log-every must be at least 1, got " + logEvery);
        c = c.with(c.training().withLogEvery(logEvery));
      }
      return c;
    } catch (RefusedValue e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /** --precision's value; anything but fp32, bf16 or auto is a usage error of {@code command}. */
  static Precision parsePrecision(CommandSpec command, String value) {
    for (Precision p : Precision.values()) {
      if (p.name().equalsIgnoreCase(value)) return p;
    }
    throw new ParameterException(command.commandLine(), "--precision must be fp32, bf16 or auto, got '" + value + "'");
  }

  /** {@code precision} resolved for {@code device}; bf16 on a GPU is a usage error of {@code command}. */
  static Precision resolvePrecision(CommandSpec command, Precision precision, Device device) {
    Precision resolved;
    try {
      resolved = precision.resolve(device);
    } catch (RefusedValue e) {
      throw new ParameterException(command.commandLine(), e.getMessage());
    }
    return resolved.verified(); // bf16 where it computes wrongly: a one-line error naming the fix
  }

  @Override
  public Integer call() {
    RunConfig config = config();
    Device on = device.resolve(); // before the data and the run directory: a missing GPU leaves nothing behind
    threads.get(); // the engine's thread count, before the precision check below opens the first session
    // bf16 on a GPU, or where it computes wrongly, is refused here, for the same reason
    resolvePrecision(spec, config.training().precision(), on);
    Path dir = out != null ? out : Path.of("runs", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    // The data first: a missing or damaged archive must not leave an empty run directory behind.
    CifarDataset data = DataOption.load(this.data, spec.commandLine().getOut(), spec.commandLine().getErr());
    try (RunLock lock = RunLock.acquire(dir)) { // before anything is written; released when the run ends
      return train(config, dir, data, on);
    }
  }

  private Integer train(RunConfig config, Path dir, CifarDataset data, Device on) {
    RunDirectory run = RunDirectory.forTrain(dir);
    Split train = DataOption.trainingSplit(config, data);
    runDirectory = dir;
    new RunManifest(config, RunLauncher.datasetInfo(data, train), Provenance.current(threads.get(), config.training().precision(), on),
        String.join(" ", spec.commandLine().getParseResult().originalArgs()), RunLauncher.now())
        .write(run.config());
    spec.commandLine().getOut().println("run directory: " + dir);
    RunLauncher.launch(spec.commandLine(), config, data, train, run, TrainingState.start(), null, threads.get(), on, stop, extraListeners);
    return 0;
  }
}
