package org.cifarresnet.cli;

/**
 * How the user starts this program, for the commands we suggest: {@code ./cifar-resnet} on Linux and
 * macOS, {@code cifar-resnet.cmd} on Windows, whose launcher says so in the system property
 * {@code cifarresnet.launcher}.
 */
final class Launcher {
  static final String PROPERTY = "cifarresnet.launcher";

  private Launcher() {}

  /** The command line that starts cifar-resnet here, e.g. {@code ./cifar-resnet}. */
  static String command() {
    String set = System.getProperty(PROPERTY);
    return set == null || set.isBlank() ? "./cifar-resnet" : set;
  }
}
