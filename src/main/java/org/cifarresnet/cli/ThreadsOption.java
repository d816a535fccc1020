package org.cifarresnet.cli;

import org.cifarresnet.platform.EngineThreads;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --threads N}, shared by every command that runs the engine; a negative count is a usage error.
 * The count is set for the whole process as soon as it is parsed, before any session opens: TensorFlow
 * sizes its thread pools once, from the first session ({@link EngineThreads}).
 */
final class ThreadsOption {
  @Spec(Spec.Target.MIXEE) CommandSpec mixee;

  private int threads;

  @Option(names = "--threads", paramLabel = "N", defaultValue = "0", description = "engine threads (0: all cores)")
  void set(int value) {
    if (value < 0) throw new ParameterException(mixee.commandLine(), "--threads must be 0 or more, got " + value);
    threads = value;
    EngineThreads.set(value);
  }

  /** Intra-op threads for the engine; 0 lets TensorFlow use all cores. */
  int get() {
    return threads;
  }
}
