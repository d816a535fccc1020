/**
 * The command line: {@code train}, {@code resume}, {@code evaluate}, {@code predict}. Exit codes:
 * 0 success, 1 an error the user can fix (one line, no stack trace), 2 bad usage, 70 an internal
 * error (a bug of ours: one line, the stack trace in a file), 130 stopped.
 */
package org.cifarresnet.cli;
