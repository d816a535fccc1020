/**
 * Throughput measurement, apart from the tests: warm-up steps first (graph optimisation and oneDNN
 * kernel selection happen on the first runs), then only the timed steps count.
 */
package org.cifarresnet.bench;
