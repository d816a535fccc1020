package org.cifarresnet.util;

/**
 * A record refused a value in its constructor: a setting out of range, a missing part. The values come
 * from options or from files (config.json, checkpoint.json), so each caller decides whose mistake it is:
 * the command line makes it a usage error, a file's reader a {@link UserError} naming the file. Thrown
 * only for values the records check, so that a bug's IllegalArgumentException is never taken for one.
 */
public final class RefusedValue extends IllegalArgumentException {
  public RefusedValue(String message) {
    super(message);
  }
}
