package org.cifarresnet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.cifarresnet.util.UserError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30) // a hung download must fail the test, not the build
class CifarDownloaderTest {
  @TempDir Path tmp;

  private HttpServer server;
  private ExecutorService executor;
  private final CountDownLatch release = new CountDownLatch(1);
  private byte[] archive;
  private String md5;
  private final AtomicInteger requests = new AtomicInteger();
  private final StringWriter progressText = new StringWriter();
  private final PrintWriter progress = new PrintWriter(progressText, true);

  @BeforeEach
  void start() throws Exception {
    archive = Files.readAllBytes(TinyCifar.writeArchive(tmp.resolve("source.tar.gz"), 10, 5, 5));
    md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(archive));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/good", ex -> send(ex, 200, archive, archive.length));
    server.createContext("/chunked", ex -> send(ex, 200, archive, 0));
    server.createContext("/stall", ex -> {
      requests.incrementAndGet();
      ex.sendResponseHeaders(200, archive.length);
      OutputStream out = ex.getResponseBody();
      out.write(archive, 0, 1000);
      out.flush();
      try {
        release.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ex.close();
    });
    server.createContext("/missing", ex -> send(ex, 404, "not found".getBytes(StandardCharsets.US_ASCII), 9));
    server.createContext("/moved", ex -> {
      ex.getResponseHeaders().add("Location", "/good");
      send(ex, 302, new byte[0], -1);
    });
    executor = Executors.newCachedThreadPool();
    server.setExecutor(executor);
    server.start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  /** Answers with {@code body}; {@code length} is the Content-Length to announce (0: chunked, -1: none). */
  private void send(HttpExchange ex, int status, byte[] body, long length) throws IOException {
    requests.incrementAndGet();
    try {
      ex.sendResponseHeaders(status, length);
      if (length >= 0) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(body);
        }
      }
    } catch (IOException e) {
      // The /cut handler writes fewer bytes than announced; the server then drops the connection.
    } finally {
      ex.close();
    }
  }

  private URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  private Path cache() {
    return tmp.resolve("cache");
  }

  @Test
  void downloadsVerifiesAndShowsProgress() throws Exception {
    Path target = cache().resolve(CifarDownloader.FILE_NAME);
    assertEquals(target, CifarDownloader.ensure(url("/good"), target, md5.toUpperCase(), progress));
    assertArrayEquals(archive, Files.readAllBytes(target));
    assertEquals(List.of(target), list(cache()));
    String shown = progressText.toString();
    assertTrue(shown.startsWith("downloading " + url("/good") + " to " + target + System.lineSeparator() + "\r"), shown);
    assertTrue(shown.contains("100%"), shown);
    assertTrue(shown.contains("MB/s"), shown);
    assertTrue(shown.endsWith(System.lineSeparator()), shown);
    // The download is a readable dataset.
    assertEquals(50, CifarReader.read(target).train().size());
  }

  @Test
  void downloadsWithoutContentLengthAndFollowsRedirects() throws Exception {
    Path a = cache().resolve("a.tar.gz");
    CifarDownloader.ensure(url("/chunked"), a, md5, progress);
    assertArrayEquals(archive, Files.readAllBytes(a));
    assertTrue(progressText.toString().contains(" MB "));
    Path b = cache().resolve("b.tar.gz");
    CifarDownloader.ensure(url("/moved"), b, md5, null);
    assertArrayEquals(archive, Files.readAllBytes(b));
  }

  @Test
  void existingTargetIsReturnedWithoutARequest() throws Exception {
    Path target = Files.createDirectories(cache()).resolve(CifarDownloader.FILE_NAME);
    Files.writeString(target, "a local copy, not checked");
    assertEquals(target, CifarDownloader.ensure(url("/good"), target, md5, progress));
    assertEquals(0, requests.get());
    assertEquals("a local copy, not checked", Files.readString(target));
  }

  @Test
  void wrongMd5LeavesNothing() throws Exception {
    String wrong = "0123456789abcdef0123456789abcdef";
    UserError e = fails("/good", wrong);
    assertMessage(e, "download of " + url("/good") + " failed: MD5 is " + md5 + ", expected " + wrong, "--data");
  }

  @Test
  void cutOffDownloadLeavesNothing() throws Exception {
    // The JDK server cannot be made to drop a connection mid-body, so this one is hand-made.
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread serverThread = new Thread(() -> {
        try (Socket client = socket.accept()) {
          InputStream in = client.getInputStream();
          int matched = 0;
          while (matched < 4) { // read the request up to its blank line
            int b = in.read();
            if (b < 0) {
              return;
            }
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
          }
          OutputStream out = client.getOutputStream();
          out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + archive.length + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
          out.write(archive, 0, archive.length / 2);
          out.flush();
        } catch (IOException e) {
          // the test then fails on its own assertions
        }
      });
      serverThread.start();
      Path target = cache().resolve(CifarDownloader.FILE_NAME);
      URI url = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/cut");
      UserError e = assertThrows(UserError.class, () -> CifarDownloader.ensure(url, target, md5, progress));
      assertMessage(e, "download of " + url + " failed: cut off after", " of " + archive.length + " bytes", "--data");
      assertEquals(List.of(), list(cache()), "left behind in the cache");
      serverThread.join();
    }
  }

  @Test
  void stalledDownloadGivesUpAndLeavesNothing() throws Exception {
    Path target = cache().resolve(CifarDownloader.FILE_NAME);
    UserError e = assertThrows(UserError.class,
        () -> CifarDownloader.ensure(url("/stall"), target, md5, progress, Duration.ofMillis(300)));
    assertMessage(e, "failed: cut off after 1000 of " + archive.length + " bytes (no data for 0.3 s)");
    assertEquals(List.of(), list(cache()), "left behind in the cache");
  }

  @Test
  void httpErrorLeavesNothing() throws Exception {
    assertMessage(fails("/missing", md5), "failed: HTTP status 404", "--data");
  }

  @Test
  void refusedConnectionLeavesNothing() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path target = cache().resolve(CifarDownloader.FILE_NAME);
    URI url = URI.create("http://127.0.0.1:" + port + "/x");
    UserError e = assertThrows(UserError.class, () -> CifarDownloader.ensure(url, target, md5, progress));
    assertMessage(e, "download of " + url + " failed: cannot connect");
    assertFalse(Files.exists(target));
  }

  @Test
  void cacheDirComesFromEnvironmentOrHome() {
    assertEquals(Path.of("/home/u/.cache/cifar-resnet"), CifarDownloader.cacheDir(Map.of(), "/home/u"));
    assertEquals(Path.of("/data/c"), CifarDownloader.cacheDir(Map.of(CifarDownloader.CACHE_ENV, "/data/c"), "/home/u"));
    assertEquals(Path.of("/home/u/.cache/cifar-resnet"),
        CifarDownloader.cacheDir(Map.of(CifarDownloader.CACHE_ENV, " "), "/home/u"));
    assertTrue(CifarDownloader.defaultTarget().endsWith("cifar-10-binary.tar.gz"));
  }

  /** Expects {@code ensure} to fail, and the cache folder to hold no file at all afterwards. */
  private UserError fails(String path, String expectedMd5) throws IOException {
    Path target = cache().resolve(CifarDownloader.FILE_NAME);
    UserError e = assertThrows(UserError.class, () -> CifarDownloader.ensure(url(path), target, expectedMd5, progress));
    assertEquals(List.of(), list(cache()), "left behind in the cache");
    return e;
  }

  private static List<Path> list(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }

  private static void assertMessage(UserError e, String... parts) {
    String m = e.getMessage();
    assertFalse(m.contains("\n") || m.contains("\r"), "not one line: " + m);
    for (String part : parts) {
      assertTrue(m.contains(part), "message lacks \"" + part + "\": " + m);
    }
  }
}
