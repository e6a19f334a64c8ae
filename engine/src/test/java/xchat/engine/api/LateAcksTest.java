package xchat.engine.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import xchat.protocol.keys.KeyPair;
import xchat.relay.policy.Misbehaviour;
import xchat.relay.server.RelayConfig;
import xchat.relay.server.RelayServer;

/** A message is SENT at the first relay's OK; relays that answer later are still reported. */
class LateAcksTest {
  private static final Duration WAIT = Duration.ofSeconds(40);

  @Test
  void relaysThatAcceptAfterSentAreStillReportedPerCopyAndPerRelay() throws Exception {
    try (TestWorld world = new TestWorld("late-acks")) {
      RelayServer fast = world.relay();
      RelayServer slow = world.relay(RelayConfig.ephemeral()
          .withBehaviour(Misbehaviour.honest().delayingResponses(Duration.ofMillis(1500))));
      KeyPair alice = world.newAccount();
      KeyPair bob = world.newAccount();
      XChat aliceChat = world.open(world.config(world.root.resolve("alice"), alice).requiredAcks(1).build());
      aliceChat.createCircle("family", List.of(fast.url(), slow.url()));
      TestWorld.Events events = TestWorld.Events.of(aliceChat);

      MessageHandle handle = aliceChat.send("family", List.of(bob.publicKey().hex()), "late acks");
      TestWorld.Recorder<MessageStatus> updates = new TestWorld.Recorder<>();
      handle.statusUpdates().subscribe(updates);
      SendOutcome outcome = handle.outcome().toCompletableFuture().get(40, TimeUnit.SECONDS);
      assertInstanceOf(SendOutcome.Sent.class, outcome, world.why());

      updates.done.get(40, TimeUnit.SECONDS);
      MessageStatus last = handle.status();
      assertEquals(MessageStatus.State.SENT, last.state(), world.why());
      assertEquals(2, last.copies().size(), "bob's copy and the self copy, " + world.why());
      for (Map<String, MessageStatus.CopyState> perRelay : last.copies().values()) {
        assertEquals(Map.of(fast.url(), MessageStatus.CopyState.ACCEPTED, slow.url(), MessageStatus.CopyState.ACCEPTED),
            perRelay, world.why());
      }
      assertEquals(last, updates.seen.get(updates.seen.size() - 1), world.why());
      assertTrue(updates.seen.stream().anyMatch(s -> s.state() == MessageStatus.State.SENT
          && s.copies().values().stream().anyMatch(r -> r.get(slow.url()) == MessageStatus.CopyState.PENDING)),
          "SENT came before the slow relay answered, " + world.why());
      await().atMost(WAIT).until(() -> events.of(EngineEvent.MessageStatusChanged.class).stream()
          .anyMatch(e -> e.status().equals(last)));
    }
  }
}
