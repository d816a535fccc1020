/**
 * Small pieces every package uses: {@link org.cifarresnet.util.AtomicFiles} writes files whole or not
 * at all (a temporary file, then a rename), and {@link org.cifarresnet.util.UserError} is the one-line
 * error a user can fix, which the command line prints without a stack trace.
 */
package org.cifarresnet.util;
