/**
 * CIFAR-10 input: reading the official binary release ({@code cifar-10-binary.tar.gz}, or its
 * extracted {@code cifar-10-batches-bin} folder) into memory, and downloading it into a local cache.
 *
 * <p>The whole dataset is 60,000 images of 3,072 bytes, about 184 MB, so it is read once into plain
 * byte arrays ({@link org.cifarresnet.data.Split}) in the NHWC layout TensorFlow wants, and every
 * later step (shuffling, augmentation, batching) works on those arrays without touching the disk.
 *
 * <p>Every failure a user can cause or fix (a wrong path, a damaged or truncated archive, a failed
 * download) surfaces as a one-line {@link org.cifarresnet.util.UserError}, never as a stack trace.
 */
package org.cifarresnet.data;
