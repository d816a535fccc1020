/**
 * Weights in and out: Keras files of the Keras {@code cifar10_resnet} example (legacy HDF5, Keras 3
 * {@code .keras} archives and {@code .weights.h5}) read into a checkpoint ({@code import-keras}), and
 * checkpoints written as Keras weights files (legacy or Keras 3) or TensorFlow SavedModels
 * ({@code export}), so that a model moves between Python and Java both ways.
 * {@link org.cifarresnet.interop.KerasLayout} is the single statement of how our variables map to
 * Keras layers; the readers and writers only follow it.
 */
package org.cifarresnet.interop;
