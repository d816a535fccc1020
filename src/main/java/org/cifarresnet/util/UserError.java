package org.cifarresnet.util;

/**
 * A failure the user can fix: bad input, a missing file, a full disk. Its message is one line that
 * names the problem and the fix; the command line prints it without a stack trace and exits 1.
 */
public class UserError extends RuntimeException {
  public UserError(String message) {
    super(message);
  }

  public UserError(String message, Throwable cause) {
    super(message, cause);
  }
}
