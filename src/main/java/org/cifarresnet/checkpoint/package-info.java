/**
 * Artifacts that outlive a process: checkpoint files (weights, optimizer state and where the model
 * came from, in one NumPy-readable {@code .npz} file) and the layout of a run directory.
 */
package org.cifarresnet.checkpoint;
