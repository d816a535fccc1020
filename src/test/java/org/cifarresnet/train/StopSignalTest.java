package org.cifarresnet.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * A signal during training asks for a stop, a second one runs the caller's action, and afterwards the
 * process's handlers are the ones it had before. Real signals, raised in this JVM. SIGTERM, which
 * StopSignal handles as it handles Ctrl-C's SIGINT: a process started in the background by a
 * non-interactive shell (a CI script's {@code cmd &}, {@code nohup}) inherits SIGINT ignored, and the
 * JVM then never delivers it, whereas SIGTERM always arrives.
 */
class StopSignalTest {
  private static final Signal TERM = new Signal("TERM");

  /**
   * The handler installed now, by name: reading it means swapping in another Java handler and back,
   * and each read wraps the JVM's own handler in a new object that names it.
   */
  private static String current() {
    SignalHandler now = Signal.handle(TERM, signal -> {});
    Signal.handle(TERM, now);
    return now.toString();
  }

  /** Raises SIGTERM and waits for the JVM's signal thread to have run the handler. */
  private static void raise(AtomicInteger seen, int expected, StopSignal stop) throws InterruptedException {
    Signal.raise(TERM);
    for (int i = 0; i < 500 && !(stop.requested() && seen.get() >= expected); i++) Thread.sleep(10);
  }

  @Test
  void theFirstSignalRequestsAStopTheSecondRunsTheActionAndCloseRestores() throws InterruptedException {
    String before = current();
    var said = new StringWriter();
    var second = new AtomicInteger();
    try (StopSignal stop = StopSignal.installForSignals(new PrintWriter(said), second::incrementAndGet)) {
      assertFalse(stop.requested());
      raise(second, 0, stop);
      assertTrue(stop.requested(), "the first SIGTERM asks for a stop");
      assertTrue(said.toString().contains("stopping after this step (SIGTERM)"), said.toString());
      assertEquals(0, second.get());
      Signal.raise(TERM);
      for (int i = 0; i < 500 && second.get() == 0; i++) Thread.sleep(10);
      assertEquals(1, second.get(), "the second SIGTERM runs the caller's action, not a halt in library code");
    }
    assertEquals(before, current(), "the handler from before is back");
  }

  @Test
  void aStopWithoutHandlersTouchesNoSignal() {
    String before = current();
    try (StopSignal stop = new StopSignal()) {
      assertEquals(before, current());
      stop.request();
      assertTrue(stop.requested());
    }
    assertEquals(before, current());
  }
}
