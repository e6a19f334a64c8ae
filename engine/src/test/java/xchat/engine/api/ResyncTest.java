package xchat.engine.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import xchat.engine.testrelay.TestRelay;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.nip17.ChatRumors;
import xchat.protocol.nip59.GiftWrap;

/** A relay that stores an event but never sends it live: the periodic reconciliation fetches it. */
class ResyncTest {
  static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void aWrapTheRelayStoredButNeverSentLiveArrivesByThePeriodicResync() throws Exception {
    try (TestWorld world = new TestWorld("resync"); TestRelay relay = TestRelay.start(TestWorld.CURVE)) {
      KeyPair alice = world.newAccount();
      KeyPair bob = world.newAccount();
      XChat bobChat = world.open(world.config(world.root.resolve("bob"), bob)
          .deviceLabel("bob").resyncInterval(Duration.ofSeconds(1)).build());
      bobChat.createCircle("friends", List.of(relay.url()));
      await().atMost(WAIT).until(() -> relay.openConnections() > 0);
      bobChat.sync("friends", Duration.ofSeconds(20)).toCompletableFuture().get(30, TimeUnit.SECONDS);

      long now = System.currentTimeMillis() / 1000;
      GiftWrap wrapper = new GiftWrap(TestWorld.CURVE, new SplittableRandom(world.seed), () -> now);
      NostrEvent wrap = wrapper.sealAndWrap(
          ChatRumors.chat(alice.publicKey(), List.of(bob.publicKey()), "stored, never pushed", now,
              ChatRumors.Options.NONE),
          alice, bob.publicKey(), List.of());
      relay.store(wrap);

      await().atMost(WAIT).untilAsserted(() -> assertEquals(List.of("stored, never pushed"),
          bobChat.messages("friends").stream().map(Message::content).toList(), world.why()));
    }
  }

  @Test
  void aNegativeResyncIntervalIsRefused() {
    XChatConfig.Builder builder = XChatConfig.builder(Path.of("unused"), "passphrase".toCharArray());
    assertThrows(IllegalArgumentException.class, () -> builder.resyncInterval(Duration.ofSeconds(-1)));
  }
}
