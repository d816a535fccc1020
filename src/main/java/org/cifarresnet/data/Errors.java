package org.cifarresnet.data;

import java.io.IOException;
import org.cifarresnet.util.AtomicFiles;

/**
 * Turns low-level exceptions into the short reason shown inside a one-line {@link
 * org.cifarresnet.util.UserError}: library messages may be null, nested in a cause, or span lines.
 */
final class Errors {
  private Errors() {}

  /** A short one-line reason for {@code e}, e.g. "no such file" or "Connection refused". */
  static String reason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t instanceof IOException io ? AtomicFiles.describe(io) : t.getMessage();
      if (m != null && !m.isBlank() && !m.equals(t.getClass().getSimpleName())) {
        return oneLine(m);
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return e.getClass().getSimpleName();
  }

  /** {@code text} with line breaks and runs of blanks folded into single spaces. */
  static String oneLine(String text) {
    return text.replaceAll("\\s+", " ").strip();
  }
}
