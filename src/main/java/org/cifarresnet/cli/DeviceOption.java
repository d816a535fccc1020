package org.cifarresnet.cli;

import org.cifarresnet.platform.Device;
import org.cifarresnet.util.RefusedValue;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --device auto|cpu|gpu}, shared by the commands that run the model; an unknown value is a usage error. */
final class DeviceOption {
  @Spec(Spec.Target.MIXEE) CommandSpec mixee;

  private Device device = Device.AUTO;

  @Option(names = "--device", paramLabel = "D", defaultValue = "auto",
      description = "auto (a GPU when TensorFlow sees one, else the CPU), cpu or gpu; default ${DEFAULT-VALUE}")
  void set(String value) {
    try {
      device = Device.parse(value);
    } catch (RefusedValue e) {
      throw new ParameterException(mixee.commandLine(), e.getMessage());
    }
  }

  /** The device to run on, CPU or GPU; fails with one line where the asked-for device is not there. */
  Device resolve() {
    return device.resolve();
  }
}
