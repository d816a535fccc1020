/**
 * Weights in and out: Keras files of the Keras {@code cifar10_resnet} example (legacy HDF5, Keras 3
 * {@code .keras} archives and {@code .weights.h5}) read into a checkpoint ({@code import-keras}), and
 * checkpoints written as Keras weights files (legacy or Keras 3), TensorFlow SavedModels or ONNX models
 * ({@code export}), so that a model moves between Python and Java both ways. The ONNX files are built on
 * Java classes that protoc generates at build time from ONNX's own {@code onnx.proto} (package {@code
 * org.cifarresnet.interop.onnx}, under target/generated-sources).
 * {@link org.cifarresnet.interop.KerasLayout} is the single statement of how our variables map to
 * Keras layers; the readers and writers only follow it.
 */
package org.cifarresnet.interop;
