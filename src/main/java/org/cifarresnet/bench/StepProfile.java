package org.cifarresnet.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.StepStats;

/**
 * Where a training step's time goes: kernel time summed by kernel type (the type after
 * TensorFlow's rewrites, e.g. {@code _MklConv2DWithBias}), over several traced steps. Kernel times
 * overlap when kernels run in parallel, so shares are of summed kernel time, not of wall time.
 */
public final class StepProfile {
  /** Summed kernel time of one type, and how many kernels of it ran per step. */
  public record Row(String kernel, double millisPerStep, double share, double countPerStep) {}

  private final Map<String, long[]> byKernel = new HashMap<>(); // kernel -> {micros, count}
  private int steps;
  private long wallMicros;

  public void add(StepStats stats) {
    steps++;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    for (var device : stats.getDevStatsList()) {
      for (NodeExecStats node : device.getNodeStatsList()) {
        long micros = node.getOpEndRelMicros() - node.getOpStartRelMicros();
        long[] total = byKernel.computeIfAbsent(kernelType(node), k -> new long[2]);
        total[0] += micros;
        total[1]++;
        first = Math.min(first, node.getAllStartMicros());
        last = Math.max(last, node.getAllStartMicros() + node.getAllEndRelMicros());
      }
    }
    if (last > first) wallMicros += last - first;
  }

  /** Kernel types by time, largest first. */
  public List<Row> rows() {
    long all = byKernel.values().stream().mapToLong(v -> v[0]).sum();
    List<Row> rows = new ArrayList<>();
    byKernel.forEach((kernel, v) ->
        rows.add(new Row(kernel, v[0] / 1000.0 / steps, all == 0 ? 0 : (double) v[0] / all, (double) v[1] / steps)));
    rows.sort((a, b) -> Double.compare(b.millisPerStep(), a.millisPerStep()));
    return rows;
  }

  /** Mean wall time of a traced step, first kernel start to last kernel end, in milliseconds. */
  public double wallMillisPerStep() {
    return steps == 0 ? 0 : wallMicros / 1000.0 / steps;
  }

  /** Summed kernel time per step in milliseconds; above the wall time when kernels overlap. */
  public double kernelMillisPerStep() {
    return rows().stream().mapToDouble(Row::millisPerStep).sum();
  }

  /** "name = Type(inputs)" is the engine's label; the node name alone when the label is missing. */
  static String kernelType(NodeExecStats node) {
    String label = node.getTimelineLabel();
    int eq = label.indexOf(" = ");
    if (eq < 0) return node.getNodeName().replaceAll(".*/", "");
    int paren = label.indexOf('(', eq);
    return label.substring(eq + 3, paren < 0 ? label.length() : paren).trim();
  }
}
