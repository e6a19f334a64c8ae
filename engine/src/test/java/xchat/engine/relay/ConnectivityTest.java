package xchat.engine.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConnectivityTest {
  private RelayHarness h;

  @AfterEach
  void tearDown() {
    if (h != null) {
      h.close();
    }
  }

  @Test
  void reconnectsWithJitteredBackoffThatNeverExceedsTheCap() {
    h = new RelayHarness(11);
    h.relay.stop();
    h.spawn();
    await().atMost(Duration.ofSeconds(15)).until(() -> h.seen(RelayEvent.BackingOff.class).size() >= 8);
    List<RelayEvent.BackingOff> backoffs = h.seen(RelayEvent.BackingOff.class);
    Backoff policy = new Backoff(RelayHarness.FAST.backoffBase(), RelayHarness.FAST.backoffCap());
    for (int i = 0; i < backoffs.size(); i++) {
      RelayEvent.BackingOff b = backoffs.get(i);
      assertEquals(i, b.attempt(), "attempts count up while connections fail; " + h.seedMessage());
      assertTrue(b.delay().compareTo(policy.ceiling(i)) <= 0, "delay within the jitter ceiling");
      assertTrue(b.delay().compareTo(RelayHarness.FAST.backoffCap()) <= 0, "never above the cap");
    }
    // Full jitter: the delays are not simply the ceilings.
    assertTrue(backoffs.stream().anyMatch(b -> b.delay().compareTo(policy.ceiling(b.attempt())) < 0),
        h.seedMessage());

    h.relay.restart();
    await().atMost(Duration.ofSeconds(5)).until(() -> h.reached(ConnectionState.OPEN));
  }

  @Test
  void backoffKeepsGrowingWhileTheRelayFlaps() {
    h = new RelayHarness(12);
    h.relay.closeRightAfterConnect = true;
    h.spawn();
    await().atMost(Duration.ofSeconds(15)).until(() -> h.seen(RelayEvent.BackingOff.class).size() >= 5);
    assertTrue(h.relay.connections.get() >= 3, "the relay accepted connections");
    List<RelayEvent.BackingOff> backoffs = h.seen(RelayEvent.BackingOff.class);
    for (int i = 0; i < backoffs.size(); i++) {
      assertEquals(i, backoffs.get(i).attempt(),
          "a connection that drops before it is stable does not reset the backoff; " + h.seedMessage());
    }
  }

  @Test
  void backoffResetsOnlyAfterTheConnectionWasStable() {
    h = new RelayHarness(13);
    h.relay.closeRightAfterConnect = true;
    ActorRef<RelayActor.Command> actor = h.spawn();
    await().atMost(Duration.ofSeconds(10)).until(() -> h.seen(RelayEvent.BackingOff.class).size() >= 3);
    h.relay.closeRightAfterConnect = false;
    await().atMost(Duration.ofSeconds(10)).until(() -> h.health(actor).state() == ConnectionState.OPEN);
    await().atMost(Duration.ofSeconds(5)).until(() -> h.health(actor).backoffAttempt() == 0);
    int before = h.seen(RelayEvent.BackingOff.class).size();
    h.relay.dropConnections();
    await().atMost(Duration.ofSeconds(5)).until(() -> h.seen(RelayEvent.BackingOff.class).size() > before);
    assertEquals(0, h.seen(RelayEvent.BackingOff.class).get(before).attempt(), h.seedMessage());
  }

  @Test
  void keepaliveDetectsARelayThatStoppedAnswering() {
    h = new RelayHarness(14);
    ActorRef<RelayActor.Command> actor = h.spawn();
    await().atMost(Duration.ofSeconds(20)).until(() -> h.reached(ConnectionState.OPEN));
    h.relay.silent = true;
    await().atMost(Duration.ofSeconds(20)).until(() -> h.seen(RelayEvent.BackingOff.class).stream()
        .anyMatch(b -> b.reason().contains("keepalive")));
    h.relay.silent = false;
    await().atMost(Duration.ofSeconds(20)).until(() ->
        h.relay.connections.get() >= 2 && h.health(actor).state() == ConnectionState.OPEN);
    assertTrue(h.health(actor).disconnects() >= 1);
  }

  @Test
  void keepaliveLeavesAQuietButAnsweringRelayAlone() {
    h = new RelayHarness(15);
    ActorRef<RelayActor.Command> actor = h.spawn();
    await().atMost(Duration.ofSeconds(5)).until(() -> h.reached(ConnectionState.OPEN));
    // Several keepalive intervals pass; each ping is answered, so the connection stays.
    await().atMost(Duration.ofSeconds(5)).until(() -> h.relay.received.stream()
        .filter(m -> m instanceof xchat.protocol.message.ClientMessage.Req r
            && r.subscriptionId().equals("xchat-ka")).count() >= 3);
    assertEquals(1, h.relay.connections.get());
    assertEquals(0, h.health(actor).disconnects());
  }

  @Test
  void garbageFramesAreCountedAndTheConnectionSurvives() {
    h = new RelayHarness(16);
    h.relay.garbageBeforeEachFrame = true;
    ActorRef<RelayActor.Command> actor = h.spawn();
    var outcomes = new java.util.concurrent.CopyOnWriteArrayList<PublishOutcome>();
    actor.tell(new RelayActor.Publish(h.events.note(xchat.engine.testrelay.TestEvents.now(), "hi"),
        h.recorder(outcomes)));
    await().atMost(Duration.ofSeconds(5)).until(() -> outcomes.size() == 1);
    assertEquals(PublishOutcome.Status.ACCEPTED, outcomes.get(0).status());
    RelayHealth health = h.health(actor);
    assertTrue(health.garbageFrames() >= 1, "garbage counted");
    assertEquals(0, health.disconnects());
  }

  @Test
  void aRefusedUpgradeIsAFailedAttempt() {
    h = new RelayHarness(17);
    h.relay.refuseUpgrade = true;
    h.spawn();
    await().atMost(Duration.ofSeconds(5)).until(() -> h.seen(RelayEvent.BackingOff.class).size() >= 2);
    assertTrue(h.seen(RelayEvent.BackingOff.class).get(0).reason().contains("503"),
        h.seen(RelayEvent.BackingOff.class).get(0).reason());
    h.relay.refuseUpgrade = false;
    await().atMost(Duration.ofSeconds(5)).until(() -> h.reached(ConnectionState.OPEN));
  }
}
