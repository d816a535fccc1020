/**
 * Weights in and out: Keras HDF5 files of the Keras {@code cifar10_resnet} example read into a
 * checkpoint ({@code import-keras}), and checkpoints written as Keras weights files, TensorFlow
 * SavedModels or ONNX models ({@code export}), so that a model moves between Python and Java both
 * ways. The ONNX files are built on Java classes that protoc generates at build time from ONNX's own
 * {@code onnx.proto} (package {@code org.cifarresnet.interop.onnx}, under target/generated-sources).
 * {@link org.cifarresnet.interop.KerasLayout} is the single statement of how our variables map to
 * Keras layers; the readers and writers only follow it.
 */
package org.cifarresnet.interop;
