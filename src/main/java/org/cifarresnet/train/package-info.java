/**
 * The training loop and what surrounds it: the input pipeline (shuffling, augmentation, batching on
 * a background thread), the fit loop, and listeners for progress, history, checkpoints and stops.
 */
package org.cifarresnet.train;
