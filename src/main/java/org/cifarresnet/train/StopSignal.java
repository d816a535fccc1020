package org.cifarresnet.train;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns Ctrl-C (SIGINT) and SIGTERM into a request the fit loop sees between steps, so the step in
 * flight finishes and the run is saved before the process exits. The handlers are the process's only
 * while a run trains: {@link #close} puts back the ones that were there before. A second signal while
 * a stop is pending runs the caller's action (the command line quits without saving).
 */
public final class StopSignal implements AutoCloseable {
  private volatile boolean requested;
  private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();

  /** A stop that only {@link #request()} triggers: no signal handlers (tests, embedding programs). */
  public StopSignal() {}

  public boolean requested() {
    return requested;
  }

  public void request() {
    requested = true;
  }

  /**
   * Installs handlers for SIGINT and SIGTERM that request a stop and say so on {@code console}.
   *
   * @param onSecondSignal what a second signal does while the first is pending, e.g. quit at once
   */
  public static StopSignal installForSignals(PrintWriter console, Runnable onSecondSignal) {
    StopSignal stop = new StopSignal();
    for (String name : new String[] {"INT", "TERM"}) {
      SignalHandler handler = s -> {
        if (stop.requested) {
          onSecondSignal.run();
          return;
        }
        console.println();
        console.println("stopping after this step (SIG" + name + "); press Ctrl-C again to quit without saving");
        console.flush();
        stop.request();
      };
      try {
        Signal signal = new Signal(name);
        stop.previous.put(signal, Signal.handle(signal, handler));
      } catch (IllegalArgumentException e) {
        // No such signal on this platform, or the JVM keeps it (java -Xrs): the default stays.
      }
    }
    return stop;
  }

  /** Puts back the handlers that were installed before; a no-op for a stop without handlers. */
  @Override
  public void close() {
    previous.forEach(Signal::handle);
    previous.clear();
  }
}
