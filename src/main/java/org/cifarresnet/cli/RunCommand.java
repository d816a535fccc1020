package org.cifarresnet.cli;

import java.nio.file.Path;

/** A command that trains into a run directory; its directory is named when the run is stopped. */
interface RunCommand {
  Path runDirectory();
}
