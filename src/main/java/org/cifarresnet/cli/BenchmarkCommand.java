package org.cifarresnet.cli;

import com.google.gson.Gson;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cifarresnet.bench.Benchmark;
import org.cifarresnet.bench.StepProfile;
import org.cifarresnet.checkpoint.Provenance;
import org.cifarresnet.config.ModelConfig;
import org.cifarresnet.config.Precision;
import org.cifarresnet.config.Presets;
import org.cifarresnet.platform.Device;
import org.cifarresnet.platform.Devices;
import org.cifarresnet.platform.Platform;
import org.cifarresnet.util.RefusedValue;
import org.tensorflow.TensorFlow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code benchmark}: training and evaluation throughput on a fixed batch. */
@Command(name = "benchmark", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Time training steps and evaluation on a fixed random batch; print images per second (medians).")
final class BenchmarkCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--batch-size", paramLabel = "N", defaultValue = "128", description = "training batch; default ${DEFAULT-VALUE}")
  int batchSize;

  @Option(names = "--eval-batch-size", paramLabel = "N", defaultValue = "1000", description = "evaluation batch (train evaluates in batches of 1000); default ${DEFAULT-VALUE}")
  int evalBatchSize;

  @Option(names = "--precision", paramLabel = "P", defaultValue = "auto", description = "fp32, bf16 or auto (bf16 where the CPU has it and it passes a short check); default ${DEFAULT-VALUE}")
  String precision;

  @Option(names = "--depth", paramLabel = "N", defaultValue = "20", description = "network depth 6n+2; default ${DEFAULT-VALUE}")
  int depth;

  @Option(names = "--steps", paramLabel = "N", defaultValue = "20", description = "timed steps; default ${DEFAULT-VALUE}")
  int steps;

  @Option(names = "--warmup", paramLabel = "N", defaultValue = "3", description = "untimed steps first; default ${DEFAULT-VALUE}")
  int warmup;

  @Option(names = "--profile", paramLabel = "N", defaultValue = "0",
      description = "after timing, trace N training steps and print kernel time by kernel type; default ${DEFAULT-VALUE}")
  int profileSteps;

  @Mixin ThreadsOption threads;

  @Mixin DeviceOption device;

  @Option(names = "--json", description = "print one JSON object")
  boolean json;

  @Override
  public Integer call() {
    if (batchSize < 1 || evalBatchSize < 1 || steps < 1 || warmup < 0 || profileSteps < 0) {
      throw new ParameterException(spec.commandLine(),
          "--batch-size, --eval-batch-size and --steps must be at least 1, --warmup and --profile at least 0");
    }
    Precision p = TrainCommand.parsePrecision(spec, precision);
    ModelConfig model;
    try {
      model = Presets.keras().model().withDepth(depth);
    } catch (RefusedValue e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    PrintWriter console = spec.commandLine().getOut();
    Device on = device.resolve();
    Precision resolved = TrainCommand.resolvePrecision(spec, p, on);
    var r = Benchmark.run(
        model, Presets.keras().optimizer(), resolved, threads.get(), on, batchSize, evalBatchSize, warmup, steps, profileSteps);
    if (json) {
      var out = new LinkedHashMap<String, Object>();
      out.put("engine", "tensorflow-java");
      out.put("tensorflow", TensorFlow.version());
      out.put("depth", depth);
      out.put("batch_size", batchSize);
      out.put("eval_batch_size", evalBatchSize);
      out.put("precision", resolved.name().toLowerCase(Locale.ROOT));
      out.put("device", on.label());
      out.put("native_build", Platform.nativeBuild());
      if (on == Device.GPU) {
        out.put("gpu", Devices.list().stream().filter(Devices.Info::gpu).findFirst().map(Devices.Info::describe).orElse("?"));
      }
      out.put("threads", threads.get());
      out.put("steps", steps);
      out.put("warmup", warmup);
      out.put("median_step_s", round(r.medianStepSeconds(), 5));
      out.put("train_images_per_s", round(r.trainImagesPerSecond(), 1));
      out.put("eval_images_per_s", round(r.evalImagesPerSecond(), 1));
      out.put("epoch_s_predicted", round(r.epochSeconds(50_000, 10_000), 1));
      out.put("cpu", Provenance.current(threads.get(), resolved).cpu());
      if (r.profile() != null) {
        out.put("profile_wall_ms_per_step", round(r.profile().wallMillisPerStep(), 2));
        out.put("profile", r.profile().rows());
      }
      console.println(new Gson().toJson(out));
    } else {
      console.printf(Locale.ROOT, "ResNet%d v1, batch %d, %s%s on the %s: train %.1f images/s (median step %.1f ms), eval %.1f images/s%n",
          depth, batchSize, resolved.name().toLowerCase(Locale.ROOT), p == Precision.AUTO ? " (auto)" : "", on.label(),
          r.trainImagesPerSecond(), 1000 * r.medianStepSeconds(), r.evalImagesPerSecond());
      console.printf(Locale.ROOT, "a CIFAR-10 epoch (50,000 training + 10,000 test images) at these rates: %.1f s%n",
          r.epochSeconds(50_000, 10_000));
      if (r.profile() != null) printProfile(console, r.profile());
    }
    console.flush();
    return 0;
  }

  private static void printProfile(PrintWriter console, StepProfile profile) {
    console.printf(Locale.ROOT, "traced steps: %.1f ms wall, %.1f ms of kernel time per step; by kernel type:%n",
        profile.wallMillisPerStep(), profile.kernelMillisPerStep());
    for (var row : profile.rows()) {
      if (row.share() < 0.002) break;
      console.printf(Locale.ROOT, "  %-40s %8.2f ms %5.1f %%  %5.0f per step%n",
          row.kernel(), row.millisPerStep(), 100 * row.share(), row.countPerStep());
    }
  }

  private static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }
}
