package org.cifarresnet.platform;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteDeviceList;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListCount;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListMemoryBytes;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListName;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListType;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SessionListDevices;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SetConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.tensorflow.TensorFlow;
import org.tensorflow.internal.c_api.TF_DeviceList;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;
import org.tensorflow.proto.GPUOptions;

/**
 * The devices TensorFlow sees in this process: always the CPU, and each GPU a CUDA build can use.
 * TF Java's {@code Session} does not list its devices, so this opens a session of its own on an
 * empty graph through the C API and asks it (TF_SessionListDevices).
 */
public final class Devices {
  /**
   * One device.
   *
   * @param name TensorFlow's full name, e.g. {@code /job:localhost/replica:0/task:0/device:GPU:0}
   * @param type {@code CPU} or {@code GPU}
   * @param memoryBytes memory TensorFlow may use on it
   */
  public record Info(String name, String type, long memoryBytes) {
    public boolean gpu() {
      return type.equals("GPU");
    }

    /** E.g. "CPU:0", "GPU:0 (5.7 GiB)": the memory only for a GPU, where it tells the card apart. */
    public String describe() {
      String shortName = name.substring(name.lastIndexOf("device:") + "device:".length());
      return gpu() && memoryBytes > 0 ? String.format(Locale.ROOT, "%s (%.1f GiB)", shortName, memoryBytes / (double) (1L << 30)) : shortName;
    }
  }

  private static List<Info> listed;

  private Devices() {}

  /** The devices, listed once per process (opening a GPU costs seconds). */
  public static synchronized List<Info> list() {
    if (listed == null) listed = List.copyOf(query());
    return listed;
  }

  /** Whether TensorFlow sees a GPU. */
  public static boolean hasGpu() {
    return list().stream().anyMatch(Info::gpu);
  }

  private static List<Info> query() {
    TensorFlow.version(); // loads the native library before the C API is called
    // Grow GPU memory as needed: by default TensorFlow takes nearly all of it when a session opens
    // a GPU, and the process's allocator keeps the options of the first session.
    byte[] config = EngineThreads.sessionConfig()
        .setGpuOptions(GPUOptions.newBuilder().setAllowGrowth(true)).build().toByteArray();
    // PointerScope frees the status, graph, options and session when it closes; the device list is
    // freed by hand, since it is not a JavaCPP-managed object.
    try (PointerScope scope = new PointerScope()) {
      TF_Status status = TF_Status.newStatus();
      TF_SessionOptions options = TF_SessionOptions.newSessionOptions();
      TF_SetConfig(options, new BytePointer(config), config.length, status);
      status.throwExceptionIfNotOK();
      TF_Graph graph = TF_Graph.newGraph();
      TF_Session session = TF_Session.newSession(graph, options, status);
      status.throwExceptionIfNotOK();
      TF_DeviceList devices = TF_SessionListDevices(session, status);
      status.throwExceptionIfNotOK();
      try {
        List<Info> found = new ArrayList<>();
        for (int i = 0; i < TF_DeviceListCount(devices); i++) {
          found.add(new Info(TF_DeviceListName(devices, i, status).getString(),
              TF_DeviceListType(devices, i, status).getString(), TF_DeviceListMemoryBytes(devices, i, status)));
        }
        return found;
      } finally {
        TF_DeleteDeviceList(devices);
      }
    }
  }
}
