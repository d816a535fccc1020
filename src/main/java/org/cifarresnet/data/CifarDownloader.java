package org.cifarresnet.data;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Flow;
import org.cifarresnet.util.AtomicFiles;
import org.cifarresnet.util.UserError;

/**
 * Fetches {@code cifar-10-binary.tar.gz} into a per-user cache on first use, so that training works
 * out of the box without a manual download, and later runs start without touching the network.
 *
 * <p>A download either completes with the expected MD5 and appears under its final name in one
 * atomic rename, or leaves nothing behind: a half-written or corrupt archive in the cache would
 * otherwise break every later run. A file already in place is trusted as is, because a user may
 * legitimately provide a copy that differs from the official bytes.
 */
public final class CifarDownloader {
  public static final URI OFFICIAL_URL = URI.create("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz");
  /** MD5 of the official archive, as published on the CIFAR web page. */
  public static final String OFFICIAL_MD5 = "c32a1d4ab5d03f1284b67883e8d87530";
  public static final String FILE_NAME = "cifar-10-binary.tar.gz";
  /** Environment variable naming the cache folder, instead of {@code ~/.cache/cifar-resnet}. */
  public static final String CACHE_ENV = "CIFAR_RESNET_CACHE";

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
  /** Time allowed until the response headers arrive; the body itself may take as long as it needs. */
  private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);
  /** Longest wait for the next piece of the body before giving up on a stalled server. */
  private static final Duration STALL_TIMEOUT = Duration.ofSeconds(60);
  private static final int BUFFER = 1 << 16;

  private CifarDownloader() {}

  /** The cache folder: {@code $CIFAR_RESNET_CACHE} if set, else {@code ~/.cache/cifar-resnet}. */
  public static Path cacheDir() {
    return cacheDir(System.getenv(), System.getProperty("user.home"));
  }

  static Path cacheDir(Map<String, String> env, String userHome) {
    String override = env.get(CACHE_ENV);
    if (override != null && !override.isBlank()) {
      return Path.of(override).toAbsolutePath();
    }
    return Path.of(userHome, ".cache", "cifar-resnet").toAbsolutePath();
  }

  /** Where {@link #ensureDefault} keeps the archive: {@code cacheDir()/cifar-10-binary.tar.gz}. */
  public static Path defaultTarget() {
    return cacheDir().resolve(FILE_NAME);
  }

  /** {@link #ensure} with the official URL and MD5 and the {@link #defaultTarget()}. */
  public static Path ensureDefault(PrintWriter progress) {
    return ensure(OFFICIAL_URL, defaultTarget(), OFFICIAL_MD5, progress);
  }

  /**
   * Returns {@code target} if it exists (without checking it); otherwise downloads {@code url} into
   * it, saying so on {@code progress} and drawing a one-line progress bar there.
   *
   * @param expectedMd5 lowercase or uppercase hex MD5 the download must have, or null not to check
   * @param progress where to draw progress, or null for silence
   * @return {@code target}, now holding the complete download
   * @throws UserError if the download fails for any reason (HTTP error, network error, cut off,
   *     wrong MD5, cannot write); nothing is then left in the target's folder
   */
  public static Path ensure(URI url, Path target, String expectedMd5, PrintWriter progress) {
    return ensure(url, target, expectedMd5, progress, STALL_TIMEOUT);
  }

  /** {@link #ensure} giving up when no data arrives for {@code stallTimeout}. */
  static Path ensure(URI url, Path target, String expectedMd5, PrintWriter progress, Duration stallTimeout) {
    if (Files.exists(target)) {
      return target;
    }
    Path dir = target.toAbsolutePath().getParent();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UserError("cannot create " + dir + ": " + Errors.reason(e) + "; set " + CACHE_ENV
          + " to a folder you can write, or download " + url + " yourself and pass --data PATH", e);
    }
    HttpClient client = HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NORMAL)
        .connectTimeout(CONNECT_TIMEOUT)
        .build();
    HttpRequest request = HttpRequest.newBuilder(url).timeout(RESPONSE_TIMEOUT).GET().build();
    try (TimedBody body = new TimedBody()) {
      HttpResponse<Flow.Publisher<List<ByteBuffer>>> response;
      try {
        response = client.send(request, HttpResponse.BodyHandlers.ofPublisher());
      } catch (IOException e) {
        throw failed(url, networkReason(e), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw failed(url, "interrupted", e);
      }
      response.body().subscribe(body);
      if (response.statusCode() != 200) {
        throw failed(url, "HTTP status " + response.statusCode(), null);
      }
      long total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
      if (progress != null) {
        progress.println("downloading " + url + " to " + target);
      }
      ProgressBar bar = new ProgressBar(progress, target.getFileName().toString(), total);
      try {
        AtomicFiles.write(target, out -> copy(url, target, body, out, total, expectedMd5, bar, stallTimeout));
      } finally {
        bar.end();
      }
    }
    return target;
  }

  /** Copies the body into the temporary file, then checks its length and MD5 before it is renamed. */
  private static void copy(URI url, Path target, TimedBody body, OutputStream out, long total, String expectedMd5,
      ProgressBar bar, Duration stallTimeout) {
    MessageDigest md5 = md5();
    byte[] buf = new byte[BUFFER];
    long done = 0;
    while (true) {
      List<ByteBuffer> chunk;
      try {
        chunk = body.next(stallTimeout);
      } catch (IOException e) {
        throw failed(url, "cut off after " + done + (total >= 0 ? " of " + total : "") + " bytes ("
            + Errors.reason(e) + ")", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw failed(url, "interrupted", e);
      }
      if (chunk == null) {
        break;
      }
      for (ByteBuffer b : chunk) {
        int n = b.remaining();
        md5.update(b.duplicate());
        try {
          if (b.hasArray()) {
            out.write(b.array(), b.arrayOffset() + b.position(), n);
          } else {
            while (b.hasRemaining()) {
              int k = Math.min(buf.length, b.remaining());
              b.get(buf, 0, k);
              out.write(buf, 0, k);
            }
          }
        } catch (IOException e) {
          throw new UserError("cannot write " + target + ": " + Errors.reason(e)
              + "; free some disk space or set " + CACHE_ENV + " to another folder", e);
        }
        done += n;
      }
      bar.update(done);
    }
    if (total >= 0 && done != total) {
      throw failed(url, "cut off after " + done + " of " + total + " bytes", null);
    }
    bar.update(done);
    String actual = HexFormat.of().formatHex(md5.digest());
    if (expectedMd5 != null && !actual.equalsIgnoreCase(expectedMd5.strip())) {
      throw failed(url, "MD5 is " + actual + ", expected " + expectedMd5.strip().toLowerCase(Locale.ROOT), null);
    }
  }

  private static UserError failed(URI url, String reason, Throwable cause) {
    return new UserError("download of " + url + " failed: " + reason
        + "; try again, or download it yourself and pass --data PATH", cause);
  }

  private static String networkReason(IOException e) {
    if (e instanceof HttpConnectTimeoutException) {
      return "connection timed out";
    }
    if (e instanceof HttpTimeoutException) {
      return "no response within " + RESPONSE_TIMEOUT.toSeconds() + " s";
    }
    if (e instanceof ConnectException) {
      return "cannot connect (" + Errors.reason(e) + ")";
    }
    return Errors.reason(e);
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has MD5", e);
    }
  }

  /**
   * A progress line such as {@code cifar-10-binary.tar.gz [######      ]  52%  90.1/173.3 MB  11.2 MB/s},
   * redrawn in place with a carriage return at most ten times a second. Without a known total it
   * shows only the megabytes done and the speed. MB are 10^6 bytes.
   */
  private static final class ProgressBar {
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int WIDTH = 20;
    private final PrintWriter out;
    private final String name;
    private final long total;
    private final long start = System.nanoTime();
    private long lastDraw;
    private long lastDone = -1;
    private int lastLength;
    private boolean drawn;

    ProgressBar(PrintWriter out, String name, long total) {
      this.out = out;
      this.name = name;
      this.total = total;
    }

    void update(long done) {
      long now = System.nanoTime();
      boolean complete = total >= 0 && done >= total;
      if (out == null || done == lastDone || (drawn && now - lastDraw < REDRAW_NANOS && !complete)) {
        return;
      }
      lastDraw = now;
      lastDone = done;
      double seconds = Math.max(1e-3, (now - start) / 1e9);
      String speed = String.format(Locale.ROOT, "%.1f MB/s", done / 1e6 / seconds);
      String line;
      if (total > 0) {
        int filled = (int) (WIDTH * done / total);
        line = String.format(Locale.ROOT, "%s [%s%s] %3d%%  %.1f/%.1f MB  %s", name, "#".repeat(filled),
            " ".repeat(WIDTH - filled), 100 * done / total, done / 1e6, total / 1e6, speed);
      } else {
        line = String.format(Locale.ROOT, "%s  %.1f MB  %s", name, done / 1e6, speed);
      }
      int pad = Math.max(0, lastLength - line.length());
      out.print("\r" + line + " ".repeat(pad));
      out.flush();
      lastLength = line.length();
      drawn = true;
    }

    /** Ends the line, so that whatever is printed next starts on its own line. */
    void end() {
      if (out != null && drawn) {
        out.println();
        out.flush();
      }
    }
  }
}
