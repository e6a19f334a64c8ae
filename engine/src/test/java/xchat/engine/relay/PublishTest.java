package xchat.engine.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import xchat.engine.testrelay.TestEvents;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.message.ClientMessage;

class PublishTest {
  private RelayHarness h;

  @AfterEach
  void tearDown() {
    if (h != null) {
      h.close();
    }
  }

  private PublishOutcome publish(ActorRef<RelayActor.Command> actor, NostrEvent event) {
    List<PublishOutcome> outcomes = new CopyOnWriteArrayList<>();
    actor.tell(new RelayActor.Publish(event, h.recorder(outcomes)));
    await().atMost(Duration.ofSeconds(10)).until(() -> outcomes.size() == 1);
    return outcomes.get(0);
  }

  @Test
  void duplicateCountsAsSuccess() {
    h = new RelayHarness(41);
    NostrEvent note = h.events.note(TestEvents.now(), "again");
    h.relay.store(note);
    PublishOutcome outcome = publish(h.spawn(), note);
    assertEquals(PublishOutcome.Status.DUPLICATE, outcome.status());
    assertTrue(outcome.isSuccess());
  }

  @Test
  void transientRefusalsAreRetriedWithBackoff() {
    h = new RelayHarness(42);
    h.relay.scriptedRefusals.add("rate-limited: slow down");
    h.relay.scriptedRefusals.add("error: try again");
    ActorRef<RelayActor.Command> actor = h.spawn();
    NostrEvent note = h.events.note(TestEvents.now(), "persist");
    PublishOutcome outcome = publish(actor, note);
    assertEquals(PublishOutcome.Status.ACCEPTED, outcome.status(), h.seedMessage());
    assertEquals(3, outcome.attempts());
    assertEquals(2, h.health(actor).transientFailures());
  }

  @ParameterizedTest
  @ValueSource(strings = {"invalid: bad", "blocked: go away", "restricted: members only", "pow: difficulty 30"})
  void terminalRefusalsAreReportedWithoutRetry(String refusal) {
    h = new RelayHarness(43);
    h.relay.scriptedRefusals.add(refusal);
    PublishOutcome outcome = publish(h.spawn(), h.events.note(TestEvents.now(), refusal));
    assertEquals(PublishOutcome.Status.REJECTED, outcome.status());
    assertEquals(refusal, outcome.message());
    assertEquals(1, outcome.attempts());
    assertEquals(1, h.relay.eventMessages.get());
  }

  @Test
  void transientFailuresEndInGaveUpAfterTheAttemptLimit() {
    h = new RelayHarness(44);
    for (int i = 0; i < 10; i++) {
      h.relay.scriptedRefusals.add("rate-limited: no");
    }
    ActorRef<RelayActor.Command> actor = h.spawn(RelayHarness.FAST.withPublishAttempts(3), h.deps());
    PublishOutcome outcome = publish(actor, h.events.note(TestEvents.now(), "x"));
    assertEquals(PublishOutcome.Status.GAVE_UP, outcome.status());
    assertFalse(outcome.status().isFinal(), "the outbox may try again later");
    assertEquals(3, outcome.attempts());
  }

  @Test
  void aMissingOkIsATransientFailureAndTheEventIsResent() {
    h = new RelayHarness(45);
    h.relay.delay = Duration.ofMillis(1500); // past the 1 s OK timeout, answered later
    RelaySettings settings = RelayHarness.FAST
        .withKeepalive(Duration.ofSeconds(5), Duration.ofSeconds(5))
        .withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(3));
    ActorRef<RelayActor.Command> actor = h.spawn(settings, h.deps());
    PublishOutcome outcome = publish(actor, h.events.note(TestEvents.now(), "slow"));
    assertTrue(outcome.isSuccess(), outcome.toString());
    assertTrue(h.relay.eventMessages.get() >= 2, "resent after the OK timeout");
  }

  @Test
  void anEventOlderThanTheRelayAcceptsIsRefusedLocally() {
    h = new RelayHarness(46);
    h.relay.infoJson = "{\"supported_nips\":[1,11],\"limitation\":{\"created_at_lower_limit\":3600}}";
    ActorRef<RelayActor.Command> actor = h.spawn();
    PublishOutcome old = publish(actor, h.events.note(TestEvents.now() - 7200, "old"));
    assertEquals(PublishOutcome.Status.TOO_OLD, old.status());
    assertEquals(0, old.attempts());
    PublishOutcome fresh = publish(actor, h.events.note(TestEvents.now() - 60, "fresh"));
    assertEquals(PublishOutcome.Status.ACCEPTED, fresh.status());
    assertEquals(1, h.relay.received.stream().filter(m -> m instanceof ClientMessage.EventMessage).count());
  }

  @Test
  void anEventLargerThanTheRelayReadsIsRefusedLocally() {
    h = new RelayHarness(47);
    h.relay.infoJson = "{\"supported_nips\":[1,11],\"limitation\":{\"max_message_length\":600}}";
    PublishOutcome big = publish(h.spawn(), h.events.note(TestEvents.now(), "x".repeat(1000)));
    assertEquals(PublishOutcome.Status.TOO_LARGE, big.status());
    assertEquals(0, h.relay.eventMessages.get());
  }

  @Test
  void healthReflectsAcceptedEventsLatencyAndUptime() {
    h = new RelayHarness(48);
    ActorRef<RelayActor.Command> actor = h.spawn();
    RelayHealth before = h.health(actor);
    for (int i = 0; i < 3; i++) {
      publish(actor, h.events.note(TestEvents.now(), "h" + i));
    }
    h.relay.scriptedRefusals.add("blocked: no");
    publish(actor, h.events.note(TestEvents.now(), "refused"));
    RelayHealth after = h.health(actor);
    assertEquals(3, after.accepted());
    assertEquals(1, after.refused());
    assertTrue(after.okLatencyMillis().isPresent());
    assertTrue(after.uptimeRatio() > 0);
    assertEquals(1, after.connections());
    assertTrue(after.successRate() < 1.0 && after.successRate() > 0.5);
    assertTrue(before.okLatencyMillis().isEmpty());
    assertTrue(after.score() > 0 && after.score() <= 1);
  }
}
