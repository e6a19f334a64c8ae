package xchat.relay.blossom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static xchat.relay.blossom.BlossomTestKeys.NOW;
import static xchat.relay.blossom.BlossomTestKeys.auth;
import static xchat.relay.blossom.BlossomTestKeys.sha256;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xchat.protocol.blossom.BlobDescriptor;
import xchat.protocol.blossom.BlossomVerb;
import xchat.protocol.keys.KeyPair;

class BlossomServerTest {
  static final KeyPair ALICE = BlossomTestKeys.keys("alice");
  static final KeyPair BOB = BlossomTestKeys.keys("bob");
  static final long SEED = 24242;
  static final byte[] BLOB = bytes(SEED, 200_000);
  static final String SHA = sha256(BLOB);

  @TempDir Path dir;
  BlossomServer server;
  ExecutorService executor;
  HttpClient http;

  static byte[] bytes(long seed, int size) {
    byte[] out = new byte[size];
    new Random(seed).nextBytes(out);
    return out;
  }

  @BeforeEach
  void start() {
    BlossomConfig config =
        BlossomConfig.defaults(dir)
            .withClock(Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC))
            .withMaxBlobBytes(1_000_000)
            .withSyncWrites(false);
    server = BlossomServer.start(config, "127.0.0.1", 0);
    executor = Executors.newFixedThreadPool(2);
    http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .executor(executor)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  @AfterEach
  void stop() {
    server.stop().toCompletableFuture().join();
    executor.shutdownNow();
  }

  URI at(String path) {
    return URI.create(server.url() + path);
  }

  HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.timeout(Duration.ofSeconds(20)).build(), BodyHandlers.ofByteArray());
  }

  HttpResponse<byte[]> upload(byte[] body, Optional<String> authorization) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(at("/upload"))
            .PUT(BodyPublishers.ofByteArray(body))
            .header("Content-Type", "application/octet-stream");
    authorization.ifPresent(value -> request.header("Authorization", value));
    return send(request);
  }

  HttpResponse<byte[]> delete(String sha256, Optional<String> authorization) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(at("/" + sha256)).DELETE();
    authorization.ifPresent(value -> request.header("Authorization", value));
    return send(request);
  }

  @Test
  void uploadAnswersADescriptorAndGetServesTheSameBytes() throws Exception {
    HttpResponse<byte[]> put = upload(BLOB, Optional.of(auth(ALICE, BlossomVerb.UPLOAD, SHA)));
    assertEquals(200, put.statusCode(), new String(put.body()));
    BlobDescriptor descriptor = BlobDescriptor.parse(put.body());
    assertEquals(
        new BlobDescriptor(
            server.url() + "/" + SHA + ".bin", SHA, BLOB.length, "application/octet-stream", NOW),
        descriptor);
    HttpResponse<byte[]> get = send(HttpRequest.newBuilder(URI.create(descriptor.url())));
    assertEquals(200, get.statusCode());
    assertArrayEquals(BLOB, get.body(), "seed " + SEED);
    assertEquals(Optional.of("*"), get.headers().firstValue("access-control-allow-origin"));
    assertEquals(200, send(HttpRequest.newBuilder(at("/" + SHA))).statusCode());
  }

  @Test
  void headAnswersTheLengthWithoutTheBody() throws Exception {
    upload(BLOB, Optional.of(auth(ALICE, BlossomVerb.UPLOAD, SHA)));
    HttpResponse<byte[]> head =
        send(
            HttpRequest.newBuilder(at("/" + SHA + ".pdf")).method("HEAD", BodyPublishers.noBody()));
    assertEquals(200, head.statusCode());
    assertEquals(
        Optional.of(Long.toString(BLOB.length)), head.headers().firstValue("content-length"));
    assertEquals(0, head.body().length);
    assertEquals(
        404,
        send(HttpRequest.newBuilder(at("/" + "0".repeat(64)))
                .method("HEAD", BodyPublishers.noBody()))
            .statusCode());
  }

  @Test
  void servesByteRangesSoADownloadCanResume() throws Exception {
    upload(BLOB, Optional.of(auth(ALICE, BlossomVerb.UPLOAD, SHA)));
    HttpResponse<byte[]> tail =
        send(HttpRequest.newBuilder(at("/" + SHA)).header("Range", "bytes=1000-"));
    assertEquals(206, tail.statusCode());
    assertArrayEquals(
        java.util.Arrays.copyOfRange(BLOB, 1000, BLOB.length), tail.body(), "seed " + SEED);
  }

  @Test
  void uploadWithoutValidAuthorizationIsRefusedWith401() throws Exception {
    HttpResponse<byte[]> none = upload(BLOB, Optional.empty());
    assertEquals(401, none.statusCode());
    assertEquals(
        Optional.of("missing Authorization header"), none.headers().firstValue("x-reason"));
    assertEquals(
        401,
        upload(BLOB, Optional.of(auth(ALICE, BlossomVerb.UPLOAD, List.of(SHA), NOW - 100, NOW)))
            .statusCode(),
        "expired");
    assertEquals(
        401,
        upload(BLOB, Optional.of(auth(ALICE, BlossomVerb.DELETE, SHA))).statusCode(),
        "wrong verb");
    assertEquals(401, upload(BLOB, Optional.of("Nostr not-base64!")).statusCode());
    assertEquals(0, server.routes().store().size());
  }

  @Test
  void uploadWhoseBodyIsNotTheAuthorizedBlobIsRefusedAndNotKept() throws Exception {
    byte[] other = bytes(SEED + 1, 5000);
    HttpResponse<byte[]> put = upload(other, Optional.of(auth(ALICE, BlossomVerb.UPLOAD, SHA)));
    assertEquals(403, put.statusCode());
    assertEquals(404, send(HttpRequest.newBuilder(at("/" + sha256(other)))).statusCode());
    try (var parts = Files.list(dir.resolve("incoming"))) {
      assertEquals(0, parts.count());
    }
  }

  @Test
  void anAnnouncedHashOutsideTheAuthorizationIsRefusedBeforeTheBody() throws Exception {
    HttpResponse<byte[]> put =
        send(
            HttpRequest.newBuilder(at("/upload"))
                .PUT(BodyPublishers.ofByteArray(BLOB))
                .header("Authorization", auth(ALICE, BlossomVerb.UPLOAD, SHA))
                .header("X-SHA-256", "0".repeat(64)));
    assertEquals(403, put.statusCode());
  }

  @Test
  void uploadOverTheSizeLimitIsRefusedWith413() throws Exception {
    byte[] big = bytes(SEED, 1_000_001);
    HttpResponse<byte[]> put =
        upload(big, Optional.of(auth(ALICE, BlossomVerb.UPLOAD, sha256(big))));
    assertEquals(413, put.statusCode());
    assertEquals(0, server.routes().store().size());
  }

  @Test
  void deleteNeedsAnAuthorizationNamingTheBlob() throws Exception {
    upload(BLOB, Optional.of(auth(ALICE, BlossomVerb.UPLOAD, SHA)));
    assertEquals(401, delete(SHA, Optional.empty()).statusCode());
    assertEquals(
        401,
        delete(SHA, Optional.of(auth(ALICE, BlossomVerb.DELETE, "0".repeat(64)))).statusCode());
    assertEquals(401, delete(SHA, Optional.of(auth(ALICE, BlossomVerb.UPLOAD, SHA))).statusCode());
    assertEquals(
        403,
        delete(SHA, Optional.of(auth(BOB, BlossomVerb.DELETE, SHA))).statusCode(),
        "not an owner");
    assertEquals(200, send(HttpRequest.newBuilder(at("/" + SHA))).statusCode());
    HttpResponse<byte[]> deleted = delete(SHA, Optional.of(auth(ALICE, BlossomVerb.DELETE, SHA)));
    assertEquals(200, deleted.statusCode());
    assertTrue(new String(deleted.body()).contains("\"deleted\":true"));
    assertEquals(404, send(HttpRequest.newBuilder(at("/" + SHA))).statusCode());
    assertEquals(404, delete(SHA, Optional.of(auth(ALICE, BlossomVerb.DELETE, SHA))).statusCode());
  }

  @Test
  void aBlobStaysWhileAnotherUploaderOwnsIt() throws Exception {
    upload(BLOB, Optional.of(auth(ALICE, BlossomVerb.UPLOAD, SHA)));
    upload(BLOB, Optional.of(auth(BOB, BlossomVerb.UPLOAD, SHA)));
    HttpResponse<byte[]> released = delete(SHA, Optional.of(auth(ALICE, BlossomVerb.DELETE, SHA)));
    assertEquals(200, released.statusCode());
    assertTrue(new String(released.body()).contains("\"deleted\":false"));
    assertEquals(200, send(HttpRequest.newBuilder(at("/" + SHA))).statusCode());
    assertEquals(200, delete(SHA, Optional.of(auth(BOB, BlossomVerb.DELETE, SHA))).statusCode());
    assertEquals(404, send(HttpRequest.newBuilder(at("/" + SHA))).statusCode());
  }

  @Test
  void listsWhatAPubkeyUploaded() throws Exception {
    upload(BLOB, Optional.of(auth(ALICE, BlossomVerb.UPLOAD, SHA)));
    HttpResponse<byte[]> list =
        send(HttpRequest.newBuilder(at("/list/" + ALICE.publicKey().hex())));
    assertEquals(200, list.statusCode());
    assertEquals(
        List.of(SHA),
        BlobDescriptor.parseList(list.body(), 10).stream().map(BlobDescriptor::sha256).toList());
    HttpResponse<byte[]> later =
        send(
            HttpRequest.newBuilder(at("/list/" + ALICE.publicKey().hex() + "?since=" + (NOW + 1))));
    assertEquals(List.of(), BlobDescriptor.parseList(later.body(), 10));
    assertEquals(
        List.of(),
        BlobDescriptor.parseList(
            send(HttpRequest.newBuilder(at("/list/" + BOB.publicKey().hex()))).body(), 10));
    assertEquals(400, send(HttpRequest.newBuilder(at("/list/nothex"))).statusCode());
    assertEquals(
        400,
        send(HttpRequest.newBuilder(at("/list/" + ALICE.publicKey().hex() + "?until=x")))
            .statusCode());
  }

  @Test
  void answersCorsPreflights() throws Exception {
    HttpResponse<byte[]> preflight =
        send(HttpRequest.newBuilder(at("/upload")).method("OPTIONS", BodyPublishers.noBody()));
    assertEquals(204, preflight.statusCode());
    assertTrue(
        preflight.headers().firstValue("access-control-allow-methods").orElse("").contains("PUT"));
    assertTrue(
        preflight
            .headers()
            .firstValue("access-control-allow-headers")
            .orElse("")
            .contains("Authorization"));
  }

  @Test
  void pathsThatAreNotBlossomsAreNotServed() throws Exception {
    assertEquals(404, send(HttpRequest.newBuilder(at("/notahash"))).statusCode());
    assertFalse(BlossomRoutes.blobName("abc.png").isPresent());
    assertEquals(Optional.of(SHA), BlossomRoutes.blobName(SHA + ".png"));
  }

  @Test
  void blobsSurviveARestart() throws Exception {
    upload(BLOB, Optional.of(auth(ALICE, BlossomVerb.UPLOAD, SHA)));
    server.stop().toCompletableFuture().join();
    server = BlossomServer.start(BlossomConfig.defaults(dir).withSyncWrites(false), "127.0.0.1", 0);
    HttpResponse<byte[]> get = send(HttpRequest.newBuilder(at("/" + SHA)));
    assertEquals(200, get.statusCode());
    assertArrayEquals(BLOB, get.body(), "seed " + SEED);
  }
}
