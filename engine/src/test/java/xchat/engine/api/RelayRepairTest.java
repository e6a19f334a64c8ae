package xchat.engine.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import xchat.protocol.keys.KeyPair;
import xchat.relay.policy.Misbehaviour;
import xchat.relay.server.RelayConfig;
import xchat.relay.server.RelayServer;

/** A relay that said OK without storing gets our wraps back once it behaves (relay repair). */
class RelayRepairTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void aMessageARelayAcknowledgedWithoutStoringReachesASecondDeviceAfterRepair() throws Exception {
    try (TestWorld world = new TestWorld("repair")) {
      RelayServer liar = world.relay(RelayConfig.ephemeral()
          .withBehaviour(Misbehaviour.honest().acknowledgingWithoutStoring()));
      int port = liar.port();
      KeyPair alice = world.newAccount();
      KeyPair bob = world.newAccount();
      XChat laptop = world.open("laptop", alice);
      laptop.createCircle("family", List.of(liar.url()));
      MessageHandle handle = laptop.send("family", List.of(bob.publicKey().hex()), "kept by repair");
      assertInstanceOf(SendOutcome.Sent.class, handle.outcome().toCompletableFuture().get(40, TimeUnit.SECONDS),
          world.why());
      assertEquals(0, liar.store().count(), "the relay said OK and kept nothing, " + world.why());

      // The same relay, now honest, comes back; the laptop reconnects and repairs it.
      world.stop(liar);
      RelayServer honest = world.relay(RelayConfig.ephemeral().withPort(port));
      await().atMost(WAIT).until(() -> honest.store().count() >= 2); // Bob's copy and the self copy

      XChat phone = world.open("phone", alice);
      phone.createCircle("family", List.of(honest.url()));
      XChat bobChat = world.open("bob", bob);
      bobChat.createCircle("family", List.of(honest.url()));
      await().atMost(WAIT).until(() -> GuaranteesTest.has(phone, "family", "kept by repair")
          && GuaranteesTest.has(bobChat, "family", "kept by repair"));
      assertEquals(handle.messageId(), phone.messages("family").get(0).id(), world.why());
    }
  }
}
