package org.cifarresnet.model;

/** Whether batch norm uses the batch's statistics and updates its moving averages. */
public enum Mode {
  TRAINING,
  INFERENCE
}
