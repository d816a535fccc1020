package org.cifarresnet.platform;

import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.cifarresnet.util.RefusedValue;
import org.cifarresnet.util.UserError;

/** Where a command runs the model ({@code --device}): a GPU when asked or when there is one (auto), else the CPU. */
public enum Device {
  AUTO,
  CPU,
  GPU;

  /** {@code auto}, {@code cpu} or {@code gpu}, any case; anything else is refused. */
  public static Device parse(String value) {
    try {
      return valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) { // valueOf's answer to a name that is none of ours
      throw new RefusedValue("--device must be auto, cpu or gpu, got '" + value + "'");
    }
  }

  /** Lower case, as written in config.json, reports and benchmark JSON. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The device to run on, CPU or GPU, for this process's TensorFlow build.
   *
   * @throws UserError for gpu where TensorFlow sees none, and in a GPU build that finds no GPU
   *     (naming the NVIDIA library it lacks): a GPU build that quietly ran on the CPU would surprise
   */
  public Device resolve() {
    return resolve(Platform.isGpuBuild(), Devices::hasGpu, CudaLibraries::firstMissing, Platform.nativeBuild());
  }

  /**
   * @param gpuBuild whether this is TensorFlow's CUDA build (a CPU build never lists a GPU, so it is not asked)
   * @param gpuListed whether TensorFlow lists a GPU; asked only when it matters, as opening one costs seconds
   * @param missingLibrary the first NVIDIA library that cannot be opened, or null
   * @param nativeBuild the build's name, for messages
   */
  Device resolve(boolean gpuBuild, BooleanSupplier gpuListed, Supplier<String> missingLibrary, String nativeBuild) {
    if (this == CPU) return CPU;
    if (!gpuBuild) {
      if (this == AUTO) return CPU;
      throw new UserError("--device gpu: this " + nativeBuild + " build of TensorFlow runs on the CPU only; " + gpuBuildHint(nativeBuild));
    }
    if (gpuListed.getAsBoolean()) return GPU;
    String missing = missingLibrary.get();
    String why = missing != null
        ? "the GPU build cannot open " + missing + ": " + CudaLibraries.fix(missing)
        : "the GPU build opens the NVIDIA libraries but TensorFlow lists no GPU: check that nvidia-smi lists the card"
            + " and that its compute capability is 6.0 or newer";
    throw new UserError(why + "; or run on the CPU with --device cpu");
  }

  private static String gpuBuildHint(String nativeBuild) {
    if (nativeBuild.equals(Platform.LINUX_X86_64.classifier())) {
      return "for an NVIDIA GPU use the GPU build (CIFAR_RESNET_GPU=1 ./cifar-resnet ..., or ./mvnw -Pgpu package),"
          + " or leave --device at auto";
    }
    return "TensorFlow Java's GPU build is for Linux on x86-64 (on Windows, inside WSL2); use --device auto or cpu";
  }
}
