package xchat.engine.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xchat.engine.media.DownloadResult.Downloaded;
import xchat.engine.media.DownloadResult.FailedAttempt;
import xchat.engine.media.DownloadResult.Unavailable;
import xchat.engine.media.TransferFailure.Kind;
import xchat.engine.media.UploadReport.ServerUpload;
import xchat.protocol.blossom.BlobDescriptor;
import xchat.protocol.hex.Hex;

/** The client against a scripted server that misbehaves in exactly one way per test. */
class BlossomClientTest {
  static final long SEED = 0xb1055L;
  static final byte[] BLOB = bytes(SEED, 300_000);
  static final String SHA = Hex.encode(MediaWorld.sha256(BLOB));

  @TempDir Path dir;
  MediaWorld world;
  HttpServer server;
  BlossomClient client;
  final List<String> ranges = Collections.synchronizedList(new ArrayList<>());
  final AtomicInteger requests = new AtomicInteger();

  /** One scripted answer to the n-th request (1-based). */
  interface Script {
    void answer(int n, HttpExchange exchange) throws IOException;
  }

  static byte[] bytes(long seed, int size) {
    byte[] out = new byte[size];
    new Random(seed).nextBytes(out);
    return out;
  }

  @BeforeEach
  void start() {
    world = new MediaWorld(dir.resolve("world"), 0, SEED);
    client = world.client(MediaWorld.fastRetries());
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
    world.close();
  }

  URI serve(Script script) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          try {
            exchange.getRequestHeaders().getOrDefault("Range", List.of()).forEach(ranges::add);
            script.answer(requests.incrementAndGet(), exchange);
          } finally {
            exchange.close();
          }
        });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  DownloadResult download(URI server, OptionalLong size) throws Exception {
    return client
        .download(
            SHA,
            size,
            List.of(URI.create(server + "/" + SHA)),
            dir.resolve("blob"),
            MediaProgress.NONE)
        .get(30, TimeUnit.SECONDS);
  }

  @Test
  void anInterruptedDownloadResumesWhereItStopped() throws Exception {
    int half = BLOB.length / 2;
    URI url =
        serve(
            (n, exchange) -> {
              if (n == 1) {
                exchange.sendResponseHeaders(200, BLOB.length);
                OutputStream out = exchange.getResponseBody();
                out.write(BLOB, 0, half);
                out.flush();
                // Closing short of the announced length drops the connection mid-body.
                return;
              }
              exchange
                  .getResponseHeaders()
                  .add(
                      "Content-Range",
                      "bytes " + half + "-" + (BLOB.length - 1) + "/" + BLOB.length);
              send(exchange, 206, java.util.Arrays.copyOfRange(BLOB, half, BLOB.length));
            });
    Downloaded done =
        assertInstanceOf(Downloaded.class, download(url, OptionalLong.of(BLOB.length)));
    assertArrayEquals(BLOB, Files.readAllBytes(done.file()), "seed " + SEED);
    assertEquals(List.of("bytes=" + half + "-"), ranges);
  }

  @Test
  void aServerThatIgnoresTheRangeIsReadFromTheStartAgain() throws Exception {
    URI url =
        serve(
            (n, exchange) -> {
              if (n == 1) {
                exchange.sendResponseHeaders(200, BLOB.length);
                exchange.getResponseBody().write(BLOB, 0, 1000);
                return;
              }
              send(exchange, 200, BLOB);
            });
    Downloaded done = assertInstanceOf(Downloaded.class, download(url, OptionalLong.empty()));
    assertArrayEquals(BLOB, Files.readAllBytes(done.file()), "seed " + SEED);
  }

  @Test
  void aServerErrorIsRetried() throws Exception {
    URI url = serve((n, exchange) -> send(exchange, n < 3 ? 503 : 200, n < 3 ? new byte[0] : BLOB));
    assertInstanceOf(Downloaded.class, download(url, OptionalLong.of(BLOB.length)));
    assertEquals(3, requests.get());
  }

  @Test
  void aServerErrorOnEveryAttemptIsReported() throws Exception {
    URI url =
        serve(
            (n, exchange) -> {
              exchange.getResponseHeaders().add("X-Reason", "disk full");
              send(exchange, 500, new byte[0]);
            });
    Unavailable none = assertInstanceOf(Unavailable.class, download(url, OptionalLong.empty()));
    assertEquals(
        List.of(
            new FailedAttempt(
                URI.create(url + "/" + SHA),
                new TransferFailure(
                    Kind.SERVER_ERROR, java.util.OptionalInt.of(500), "disk full"))),
        none.attempts());
    assertEquals(3, requests.get());
    assertNoPartialFiles();
  }

  @Test
  void aBodyLongerThanTheMessageSaysIsCutOff() throws Exception {
    URI url = serve((n, exchange) -> send(exchange, 200, BLOB));
    Unavailable none =
        assertInstanceOf(Unavailable.class, download(url, OptionalLong.of(BLOB.length - 1)));
    assertEquals(Kind.TOO_LARGE, none.attempts().get(0).failure().kind());
    assertEquals(1, requests.get(), "no retry");
    assertNoPartialFiles();
  }

  @Test
  void anUploadRefusedForAuthorizationIsNotRetried() throws Exception {
    URI url =
        serve(
            (n, exchange) -> {
              if (exchange.getRequestMethod().equals("HEAD")) {
                send(exchange, 404, new byte[0]);
                return;
              }
              // Read first: answering mid-body would race the client's write against our close.
              exchange.getRequestBody().readAllBytes();
              exchange.getResponseHeaders().add("X-Reason", "the authorization event has expired");
              send(exchange, 401, new byte[0]);
            });
    Path blob = Files.write(dir.resolve("upload"), BLOB);
    UploadReport report =
        client
            .upload(
                MediaWorld.keys("alice"),
                blob,
                SHA,
                "application/octet-stream",
                List.of(url),
                MediaProgress.NONE)
            .get(30, TimeUnit.SECONDS);
    ServerUpload.Failed failed =
        assertInstanceOf(ServerUpload.Failed.class, report.servers().get(0));
    assertEquals(Kind.UNAUTHORIZED, failed.failure().kind());
    assertEquals("the authorization event has expired", failed.failure().detail());
    assertEquals(1, failed.attempts());
  }

  @Test
  void aDescriptorForAnotherBlobIsNotTakenAsSuccess() throws Exception {
    URI url =
        serve(
            (n, exchange) -> {
              if (exchange.getRequestMethod().equals("HEAD")) {
                send(exchange, 404, new byte[0]);
                return;
              }
              exchange.getRequestBody().readAllBytes();
              String other = "00".repeat(32);
              send(
                  exchange,
                  200,
                  new BlobDescriptor("http://x/" + other, other, BLOB.length, null, 1)
                      .toJson()
                      .getBytes(StandardCharsets.UTF_8));
            });
    Path blob = Files.write(dir.resolve("upload"), BLOB);
    UploadReport report =
        client
            .upload(
                MediaWorld.keys("alice"),
                blob,
                SHA,
                "application/octet-stream",
                List.of(url),
                MediaProgress.NONE)
            .get(30, TimeUnit.SECONDS);
    assertEquals(
        Kind.BAD_RESPONSE,
        assertInstanceOf(ServerUpload.Failed.class, report.servers().get(0)).failure().kind());
    assertFalse(report.storedAnywhere());
  }

  void assertNoPartialFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(
          List.of(), files.filter(p -> p.getFileName().toString().endsWith(".part")).toList());
    }
  }
}
