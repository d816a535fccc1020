package org.cifarresnet.tensorboard;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cifarresnet.platform.EngineThreads;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.summary.SummaryWriter;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;

/**
 * TensorFlow's event-file writer, one per sub-folder of a log directory ({@code train}, {@code validation}),
 * driven through the summary ops in a graph and session of its own. Each instance starts a new event file
 * per folder ({@code events.out.tfevents.<time>.<host>.<pid>.<n>.v2}, the {@code .v2} suffix as
 * {@code tf.summary.create_file_writer} names them); TensorBoard reads a folder's files in name order.
 *
 * <p>Not thread-safe: the training listener calls it from the training thread only.
 */
public final class SummaryWriters implements AutoCloseable {
  /** Events held in memory before TensorFlow writes them out; TensorFlow's default. */
  private static final int MAX_QUEUE = 10;
  /** TensorFlow also writes queued events once this old; {@link #flush} does it at every epoch's end. */
  private static final int FLUSH_MILLIS = 120_000;

  private final Graph graph;
  private final Session session;
  private final Placeholder<TInt64> step;
  private final Placeholder<TString> tag;
  private final Placeholder<TFloat32> value;
  private final Map<String, Writer> writers = new LinkedHashMap<>();
  private boolean closed;

  /** The ops of one folder's writer: the resource they share is TensorFlow's open event file. */
  private record Writer(Op writeScalar, Op flush, Op close) {}

  /**
   * Opens a new event file in each {@code logDir/folder}, creating the folders as needed.
   *
   * @throws org.tensorflow.exceptions.TensorFlowException if TensorFlow cannot create a file
   */
  public SummaryWriters(Path logDir, List<String> folders) {
    graph = new Graph();
    try {
      Ops tf = Ops.create(graph);
      step = tf.placeholder(TInt64.class);
      tag = tf.placeholder(TString.class);
      value = tf.placeholder(TFloat32.class);
      List<Op> create = new ArrayList<>();
      for (String folder : folders) {
        // One writer resource per folder, named after it so that the ops below find the same one.
        SummaryWriter resource = tf.summary.summaryWriter(SummaryWriter.sharedName("events_" + folder));
        create.add(tf.summary.createSummaryFileWriter(resource, tf.constant(logDir.resolve(folder).toString()),
            tf.constant(MAX_QUEUE), tf.constant(FLUSH_MILLIS), tf.constant(".v2")));
        writers.put(folder, new Writer(tf.summary.writeScalarSummary(resource, step, tag, value),
            tf.summary.flushSummaryWriter(resource), tf.summary.closeSummaryWriter(resource)));
      }
      // The process's thread count (TensorFlow shares one pool among all sessions, sized by the first;
      // a count of 1 here, opened first, would have left training one compute thread). No GPU
      // device: the summary kernels run on the CPU, and in the GPU build a session that opened the
      // card would take its memory.
      session = new Session(graph, EngineThreads.sessionConfig().putDeviceCount("GPU", 0).build());
      try {
        for (Op op : create) run(session.runner().addTarget(op));
      } catch (RuntimeException e) {
        session.close();
        throw e;
      }
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  /** Queues one scalar; TensorBoard shows it at {@code step} on the {@code tag} card, as the run {@code folder}. */
  public void scalar(String folder, String tagName, long stepNumber, double number) {
    Writer w = writers.get(folder);
    if (w == null) throw new IllegalArgumentException("no event file for folder " + folder);
    // The fed tensors are native memory: closed at once rather than left to the garbage collector.
    try (TInt64 s = TInt64.scalarOf(stepNumber);
        TString t = TString.scalarOf(tagName);
        TFloat32 v = TFloat32.scalarOf((float) number)) {
      run(session.runner().feed(step, s).feed(tag, t).feed(value, v).addTarget(w.writeScalar()));
    }
  }

  /** Writes every queued event to disk. */
  public void flush() {
    for (Writer w : writers.values()) run(session.runner().addTarget(w.flush()));
  }

  /** Flushes and closes the event files, then frees the session and graph; a second call does nothing. */
  @Override
  public void close() {
    if (closed) return;
    closed = true;
    try {
      for (Writer w : writers.values()) run(session.runner().addTarget(w.close()));
    } finally {
      session.close();
      graph.close();
    }
  }

  private static void run(Session.Runner runner) {
    runner.run().close(); // targets only: nothing fetched, but the result is native and closed all the same
  }
}
