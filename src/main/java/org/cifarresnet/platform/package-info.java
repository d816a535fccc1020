/**
 * Where the program runs: the platform and the TensorFlow native build on the class path
 * ({@link org.cifarresnet.platform.Platform}), the CPU features that decide bf16
 * ({@link org.cifarresnet.platform.CpuFeatures}), the devices TensorFlow sees and the one a command
 * runs on ({@link org.cifarresnet.platform.Devices}, {@link org.cifarresnet.platform.Device}), and
 * why a GPU build finds no GPU ({@link org.cifarresnet.platform.CudaLibraries}), and the thread count
 * every session of the process opens with ({@link org.cifarresnet.platform.EngineThreads}).
 */
package org.cifarresnet.platform;
