package org.cifarresnet.data;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP response body read chunk by chunk with a time limit on each chunk. {@code HttpClient}
 * has no read timeout once the headers are in, and its {@code InputStream} body cannot be
 * unblocked, so without this a server that stalls mid-download would hang the program forever.
 * One chunk is requested at a time, so at most one is held in memory.
 */
final class TimedBody implements Flow.Subscriber<List<ByteBuffer>>, AutoCloseable {
  private static final Object END = new Object();
  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final CompletableFuture<Flow.Subscription> subscription = new CompletableFuture<>();
  private volatile boolean closed;

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription.complete(s);
    if (closed) {
      s.cancel();
    } else {
      s.request(1);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> item) {
    queue.add(item);
  }

  @Override
  public void onError(Throwable t) {
    queue.add(t);
  }

  @Override
  public void onComplete() {
    queue.add(END);
  }

  /**
   * The next chunk of the body, or null at its end.
   *
   * @throws HttpTimeoutException if nothing arrives within {@code timeout}
   * @throws IOException if the connection failed, e.g. closed before the announced length
   */
  List<ByteBuffer> next(Duration timeout) throws IOException, InterruptedException {
    Object o = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    if (o == null) {
      throw new HttpTimeoutException("no data for " + timeout.toMillis() / 1000.0 + " s");
    }
    if (o == END) {
      queue.add(END);
      return null;
    }
    if (o instanceof Throwable t) {
      queue.add(t);
      throw t instanceof IOException io ? io : new IOException(t);
    }
    subscription.join().request(1);
    @SuppressWarnings("unchecked")
    List<ByteBuffer> chunk = (List<ByteBuffer>) o;
    return chunk;
  }

  /** Stops the transfer (cancels the subscription), e.g. after an error status or a failure. */
  @Override
  public void close() {
    closed = true;
    Flow.Subscription s = subscription.getNow(null);
    if (s != null) {
      s.cancel();
    }
  }
}
