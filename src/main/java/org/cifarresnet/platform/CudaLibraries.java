package org.cifarresnet.platform;

import java.util.List;
import java.util.function.Predicate;
import org.bytedeco.javacpp.Loader;

/**
 * The NVIDIA libraries TensorFlow 2.18's CUDA build opens at run time. When one is missing the
 * build loads anyway and quietly sees no GPU (its own warning is hidden by TF_CPP_MIN_LOG_LEVEL),
 * so this names the first one the system's loader cannot find, and the fix.
 */
public final class CudaLibraries {
  /** TensorFlow 2.18 was built against CUDA 12.5 and cuDNN 9.3 (its tested build configuration). */
  public static final String REQUIREMENT = "CUDA 12 (12.5 or later 12.x) and cuDNN 9 (9.3 or later 9.x)";

  /** The driver first: without it nothing else helps. Sonames as TensorFlow's loader asks for them. */
  static final List<String> NEEDED = List.of(
      "libcuda.so.1", "libcudart.so.12", "libcublas.so.12", "libcublasLt.so.12", "libcufft.so.11",
      "libcusolver.so.11", "libcusparse.so.12", "libcudnn.so.9");

  private CudaLibraries() {}

  /** The first needed library the system's dynamic loader cannot open, or null when all open. */
  public static String firstMissing() {
    return firstMissing(CudaLibraries::opens);
  }

  static String firstMissing(Predicate<String> opens) {
    for (String library : NEEDED) {
      if (!opens.test(library)) return library;
    }
    return null;
  }

  /** The fix for a missing library, one sentence. */
  public static String fix(String library) {
    if (library.equals("libcuda.so.1")) {
      return "install the NVIDIA driver (nvidia-smi must list the card; under WSL2 the Windows driver provides it)";
    }
    return "install " + REQUIREMENT + " and put their lib folders on LD_LIBRARY_PATH"
        + " (Ubuntu: apt install nvidia-cuda-toolkit nvidia-cudnn)";
  }

  /** Opens the library the way TensorFlow does (dlopen by soname, through the system's search path). */
  private static boolean opens(String library) {
    try {
      Loader.loadGlobal(library);
      return true;
    } catch (UnsatisfiedLinkError e) {
      return false;
    }
  }
}
