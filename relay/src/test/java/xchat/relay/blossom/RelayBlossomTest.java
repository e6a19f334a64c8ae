package xchat.relay.blossom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import xchat.protocol.blossom.BlossomAuth;
import xchat.protocol.blossom.BlossomVerb;
import xchat.protocol.keys.KeyPair;
import xchat.relay.server.RelayConfig;
import xchat.relay.server.RelayServer;

/** {@code ./xchat relay} serves Blossom on the relay's own port, beside the WebSocket endpoint. */
class RelayBlossomTest {
  static final KeyPair ALICE = BlossomTestKeys.keys("alice");

  @Test
  void theRelayServesBlossomAndStillAnswersItsOwnPaths() throws Exception {
    RelayServer relay = RelayServer.start(RelayConfig.ephemeral());
    ExecutorService executor = Executors.newFixedThreadPool(2);
    try {
      HttpClient http =
          HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor).build();
      URI root = URI.create("http://127.0.0.1:" + relay.port());
      byte[] blob = "relay-hosted blob".getBytes(StandardCharsets.UTF_8);
      String sha = BlossomTestKeys.sha256(blob);
      long now = System.currentTimeMillis() / 1000;
      String authorization =
          BlossomAuth.authorizationHeader(
              BlossomAuth.create(
                  ALICE,
                  BlossomTestKeys.CURVE,
                  BlossomVerb.UPLOAD,
                  List.of(sha),
                  "Upload",
                  now - 1,
                  now + 60,
                  new byte[32]));
      HttpResponse<String> put =
          http.send(
              HttpRequest.newBuilder(root.resolve("/upload"))
                  .PUT(BodyPublishers.ofByteArray(blob))
                  .header("Authorization", authorization)
                  .timeout(Duration.ofSeconds(20))
                  .build(),
              BodyHandlers.ofString());
      assertEquals(200, put.statusCode(), put.body());
      HttpResponse<byte[]> get =
          http.send(
              HttpRequest.newBuilder(root.resolve("/" + sha)).build(), BodyHandlers.ofByteArray());
      assertArrayEquals(blob, get.body());
      HttpResponse<String> info =
          http.send(
              HttpRequest.newBuilder(root).header("Accept", "application/nostr+json").build(),
              BodyHandlers.ofString());
      assertEquals(200, info.statusCode());
      assertTrue(info.body().contains("\"name\""), info.body());
    } finally {
      relay.stop().toCompletableFuture().join();
      executor.shutdownNow();
    }
  }
}
