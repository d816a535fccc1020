/**
 * The network and its graph: layers with Keras' initialisers and defaults, ResNet v1 as in He et al.
 * section 4.2, and {@link org.cifarresnet.model.CifarModel}, which owns a TensorFlow graph and
 * session and runs inference and training steps on it.
 */
package org.cifarresnet.model;
