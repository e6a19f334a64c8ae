package xchat.engine.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import xchat.protocol.keys.KeyPair;
import xchat.relay.server.RelayServer;

/** A zero ingest window groups adaptively; what reaches the log must not depend on it. */
class IngestWindowTest {
  static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void aZeroWindowStoresABurstAndALoneMessageLikeTheDefaultWindow() throws Exception {
    try (TestWorld world = new TestWorld("ingest-window")) {
      RelayServer relay = world.relay();
      KeyPair alice = world.newAccount();
      KeyPair bob = world.newAccount();
      XChat aliceChat = world.open("alice", alice);
      XChat bobAdaptive = world.open(world.config(world.root.resolve("bob-adaptive"), bob)
          .deviceLabel("bob-adaptive").ingest(512, Duration.ZERO, 2).build());
      XChat bobWindowed = world.open("bob-windowed", bob);
      for (XChat chat : List.of(aliceChat, bobAdaptive, bobWindowed)) {
        chat.createCircle("friends", List.of(relay.url()));
      }

      List<CompletableFuture<SendOutcome>> burst = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        burst.add(aliceChat.send("friends", List.of(bobAdaptive.publicKeyHex()), "burst " + i)
            .outcome().toCompletableFuture());
      }
      CompletableFuture.allOf(burst.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      aliceChat.send("friends", List.of(bobAdaptive.publicKeyHex()), "alone").outcome().toCompletableFuture()
          .get(30, TimeUnit.SECONDS);

      for (XChat bobDevice : List.of(bobAdaptive, bobWindowed)) {
        await().atMost(WAIT).untilAsserted(() -> assertEquals(41, bobDevice.messages("friends").size(),
            world.why() + " on " + bobDevice.deviceId() + " (adaptive: " + bobAdaptive.deviceId() + ")"));
      }
      List<String> adaptive = bobAdaptive.messages("friends").stream().map(Message::id).toList();
      assertEquals(aliceChat.messages("friends").stream().map(Message::id).toList(), adaptive, world.why());
      assertEquals(bobWindowed.messages("friends").stream().map(Message::id).toList(), adaptive, world.why());
      String conversation = bobAdaptive.messages("friends").get(0).conversation();
      assertEquals(bobWindowed.fingerprint("friends", conversation), bobAdaptive.fingerprint("friends", conversation),
          world.why());
    }
  }

  @Test
  void aNegativeWindowIsRefused() {
    XChatConfig.Builder builder = XChatConfig.builder(Path.of("unused"), "passphrase".toCharArray());
    assertThrows(IllegalArgumentException.class, () -> builder.ingest(512, Duration.ofMillis(-1), 2));
  }
}
