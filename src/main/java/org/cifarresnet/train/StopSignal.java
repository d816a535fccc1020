package org.cifarresnet.train;

import sun.misc.Signal;

/**
 * Turns Ctrl-C (SIGINT) and SIGTERM into a request the fit loop sees between steps, so the step in
 * flight finishes and the run is saved before the process exits. A second Ctrl-C exits at once.
 */
public final class StopSignal {
  private volatile boolean requested;

  public boolean requested() {
    return requested;
  }

  public void request() {
    requested = true;
  }

  /** Installs handlers for SIGINT and SIGTERM that request a stop. */
  public static StopSignal installForSignals() {
    StopSignal stop = new StopSignal();
    for (String name : new String[] {"INT", "TERM"}) {
      try {
        Signal.handle(new Signal(name), signal -> {
          if (stop.requested) Runtime.getRuntime().halt(130);
          stop.request();
          System.err.println();
          System.err.println("stopping after this step (" + "SIG" + name + "); press Ctrl-C again to quit without saving");
        });
      } catch (IllegalArgumentException e) {
        // This platform has no such signal: nothing to install.
      }
    }
    return stop;
  }
}
