package org.cifarresnet.platform;

import org.tensorflow.proto.ConfigProto;

/**
 * The engine's thread count for this process, and the session options that carry it.
 *
 * <p>TensorFlow keeps one pool of compute (intra-op) threads and one of op-scheduling (inter-op)
 * threads per process, sized by the <em>first</em> session the process opens; every later session
 * shares them, whatever counts it asks for. A probe of a kernel, the device listing or the TensorBoard
 * writer may open a session before the model does, and then {@code --threads} would silently not
 * apply (it did not, before this class: a {@code --threads 1} run computed on two cores). So every
 * session of ours takes its options from {@link #sessionConfig()}, and the count is set once, before
 * the first session.
 */
public final class EngineThreads {
  private static int threads; // 0: TensorFlow's default, one compute thread per schedulable CPU
  private static boolean settled; // a session has opened with the count: its pools are sized

  private EngineThreads() {}

  /**
   * Sets the thread count for this process (0: all cores). Once a session has opened, TensorFlow's
   * pools are sized and a different count cannot apply any more.
   *
   * @return whether this count applies (false: the pools were sized earlier with another count)
   */
  public static synchronized boolean set(int count) {
    if (count < 0) throw new IllegalArgumentException("thread count must be 0 or more, got " + count);
    if (!settled) threads = count;
    return threads == count;
  }

  /** The count sessions of this process use; 0 is TensorFlow's default (all cores). */
  public static synchronized int get() {
    return threads;
  }

  /**
   * Options for a new session, carrying this process's thread count; callers add their own settings.
   * An explicit count N sizes both pools as TensorFlow's default does for N cores: N compute threads,
   * and N threads running independent ops side by side. One op at a time (an inter-op pool of 1) cost
   * 16 % at batch 128 and 28 % at batch 32 on two cores (docs/speed.md).
   */
  public static synchronized ConfigProto.Builder sessionConfig() {
    settled = true;
    var builder = ConfigProto.newBuilder();
    if (threads > 0) builder.setIntraOpParallelismThreads(threads).setInterOpParallelismThreads(threads);
    return builder;
  }
}
