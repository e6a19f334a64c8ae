package xchat.engine.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import xchat.engine.testrelay.TestEvents;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.filter.Filter;
import xchat.protocol.message.ClientMessage;

class AuthTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private RelayHarness h;

  @AfterEach
  void tearDown() {
    if (h != null) {
      h.close();
    }
  }

  @Test
  void answersTheChallengeAndRetriesAnEventRefusedWithAuthRequired() {
    h = new RelayHarness(31);
    h.relay.authRequired = true; // but the NIP-11 document does not say so
    ActorRef<RelayActor.Command> actor = h.spawn();
    NostrEvent note = h.events.note(TestEvents.now(), "needs auth");
    List<PublishOutcome> outcomes = new CopyOnWriteArrayList<>();
    actor.tell(new RelayActor.Publish(note, h.recorder(outcomes)));
    await().atMost(PATIENCE).until(() -> outcomes.size() == 1);
    assertEquals(PublishOutcome.Status.ACCEPTED, outcomes.get(0).status(), h.seedMessage());
    assertTrue(h.relay.has(note.id()));
    assertTrue(h.relay.received.stream().anyMatch(m -> m instanceof ClientMessage.Auth a
        && a.event().kind() == 22242 && a.event().pubkey().equals(h.events.keys.publicKey())));
    assertTrue(h.health(actor).authenticated());
  }

  @Test
  void aSubscriptionClosedWithAuthRequiredIsReopenedOnceAuthenticated() {
    h = new RelayHarness(32);
    h.relay.authRequired = true;
    h.relay.store(h.events.note(TestEvents.now() - 10, "stored"));
    ActorRef<RelayActor.Command> actor = h.spawn();
    actor.tell(new RelayActor.Subscribe("inbox", List.of(Filter.builder().kinds(1).build()),
        OptionalLong.empty(), 0));
    await().atMost(PATIENCE).until(() -> h.ingest.size() == 1);
    assertTrue(h.seen(RelayEvent.SubscriptionClosed.class).isEmpty());
  }

  @Test
  void aRelayThatAnnouncesAuthGetsNoRequestBeforeAuthentication() {
    h = new RelayHarness(33);
    h.relay.authRequired = true;
    h.relay.infoJson = "{\"supported_nips\":[1,11,42],\"limitation\":{\"auth_required\":true}}";
    // A connect timeout longer than any NIP-11 fetch on a loaded machine: without the document
    // the actor opens at once and learns about AUTH only from the relay's refusal.
    RelaySettings waitForInfo = RelayHarness.FAST.withTimeouts(
        Duration.ofSeconds(60), Duration.ofSeconds(20), Duration.ofSeconds(20), Duration.ofSeconds(20));
    ActorRef<RelayActor.Command> actor = h.spawn(waitForInfo, h.deps());
    actor.tell(new RelayActor.Subscribe("inbox", List.of(Filter.builder().kinds(1).build()),
        OptionalLong.empty(), 0));
    List<PublishOutcome> outcomes = new CopyOnWriteArrayList<>();
    actor.tell(new RelayActor.Publish(h.events.note(TestEvents.now(), "x"), h.recorder(outcomes)));
    await().atMost(PATIENCE).until(() -> outcomes.size() == 1);
    // No AUTHENTICATING state is asserted: the relay's challenge may arrive, and be answered,
    // before the NIP-11 document does, and then the actor opens already authenticated. The
    // promise is the frame order below.
    assertEquals(PublishOutcome.Status.ACCEPTED, outcomes.get(0).status());
    assertEquals(1, outcomes.get(0).attempts(), "sent once, after AUTH");
    await().atMost(PATIENCE)
        .until(() -> indexOf(h.relay.received, ClientMessage.Req.class) < Integer.MAX_VALUE);
    List<ClientMessage> frames = h.relay.received;
    int auth = indexOf(frames, ClientMessage.Auth.class);
    assertTrue(auth >= 0 && auth < indexOf(frames, ClientMessage.Req.class)
        && auth < indexOf(frames, ClientMessage.EventMessage.class), "AUTH came first: " + frames);
  }

  @Test
  void refusedAuthIsATerminalOutcomeTheCallerSees() {
    h = new RelayHarness(34);
    h.relay.authRequired = true;
    h.relay.refuseAuth = true;
    ActorRef<RelayActor.Command> actor = h.spawn();
    actor.tell(new RelayActor.Subscribe("inbox", List.of(Filter.builder().kinds(1).build()),
        OptionalLong.empty(), 0));
    List<PublishOutcome> outcomes = new CopyOnWriteArrayList<>();
    actor.tell(new RelayActor.Publish(h.events.note(TestEvents.now(), "x"), h.recorder(outcomes)));
    await().atMost(PATIENCE).until(() -> outcomes.size() == 1);
    assertEquals(PublishOutcome.Status.AUTH_REFUSED, outcomes.get(0).status(), h.seedMessage());
    assertTrue(outcomes.get(0).status().isFinal());
    await().atMost(PATIENCE).until(() ->
        !h.seen(RelayEvent.AuthRefused.class).isEmpty()
            && !h.seen(RelayEvent.SubscriptionClosed.class).isEmpty());
    assertTrue(h.seen(RelayEvent.AuthRefused.class).get(0).message().startsWith("restricted:"));
  }

  @ParameterizedTest(name = "auth_required announced: {0}")
  @ValueSource(booleans = {true, false})
  void aLostChallengeTimesOutReconnectsAndAuthenticatesOnTheNextConnection(boolean announced) {
    h = new RelayHarness(announced ? 35 : 36);
    h.relay.authRequired = true;
    h.relay.challengesToDrop.set(1);
    if (announced) {
      h.relay.infoJson = "{\"supported_nips\":[1,11,42],\"limitation\":{\"auth_required\":true}}";
    }
    RelaySettings shortAuth = RelayHarness.FAST.withTimeouts(
        Duration.ofSeconds(60), Duration.ofMillis(700), Duration.ofSeconds(5), Duration.ofSeconds(5));
    ActorRef<RelayActor.Command> actor = h.spawn(shortAuth, h.deps());
    NostrEvent stored = h.events.note(TestEvents.now() - 5, "stored");
    h.relay.store(stored);
    actor.tell(new RelayActor.Subscribe("inbox", List.of(Filter.builder().kinds(1).build()),
        OptionalLong.empty(), 0));
    NostrEvent note = h.events.note(TestEvents.now(), "after a lost challenge");
    List<PublishOutcome> outcomes = new CopyOnWriteArrayList<>();
    actor.tell(new RelayActor.Publish(note, h.recorder(outcomes)));

    await().atMost(PATIENCE).until(() -> outcomes.size() == 1);
    assertEquals(PublishOutcome.Status.ACCEPTED, outcomes.get(0).status(), h.seedMessage());
    assertTrue(h.relay.has(note.id()));
    // The stored note and ours, by the subscription that was refused until AUTH.
    await().atMost(PATIENCE).until(() -> h.ingest.size() == 2);
    List<RelayEvent.AuthTimedOut> timeouts = h.seen(RelayEvent.AuthTimedOut.class);
    assertEquals(1, timeouts.size(), h.seedMessage());
    assertTrue(timeouts.get(0).reason().startsWith("no AUTH challenge"), timeouts.get(0).reason());
    assertTrue(h.seen(RelayEvent.BackingOff.class).stream()
        .anyMatch(b -> b.reason().startsWith("no AUTH challenge")), "reconnected with backoff");
    assertEquals(2, h.relay.connections.get(), "one lost challenge costs one reconnection");
    RelayHealth health = h.health(actor);
    assertEquals(1, health.authTimeouts());
    assertTrue(health.authenticated());
    assertTrue(h.seen(RelayEvent.SubscriptionClosed.class).isEmpty());
  }

  @Test
  void aRelayThatNeverChallengesEndsPublishesWithGaveUpInsteadOfWaitingForever() {
    h = new RelayHarness(37);
    h.relay.authRequired = true;
    h.relay.challengesToDrop.set(Integer.MAX_VALUE);
    RelaySettings shortAuth = RelayHarness.FAST.withPublishAttempts(2).withTimeouts(
        Duration.ofSeconds(3), Duration.ofMillis(500), Duration.ofSeconds(5), Duration.ofSeconds(5));
    ActorRef<RelayActor.Command> actor = h.spawn(shortAuth, h.deps());
    List<PublishOutcome> outcomes = new CopyOnWriteArrayList<>();
    actor.tell(new RelayActor.Publish(h.events.note(TestEvents.now(), "x"), h.recorder(outcomes)));
    await().atMost(PATIENCE).until(() -> outcomes.size() == 1);
    assertEquals(PublishOutcome.Status.GAVE_UP, outcomes.get(0).status(), h.seedMessage());
    assertTrue(outcomes.get(0).message().startsWith("no AUTH challenge"), outcomes.get(0).message());
    assertTrue(h.seen(RelayEvent.AuthTimedOut.class).size() >= 2);
    assertTrue(h.health(actor).authTimeouts() >= 2);
  }

  private static int indexOf(List<ClientMessage> frames, Class<?> type) {
    for (int i = 0; i < frames.size(); i++) {
      if (type.isInstance(frames.get(i)) && !(frames.get(i) instanceof ClientMessage.Req r
          && r.subscriptionId().equals("xchat-ka"))) {
        return i;
      }
    }
    return Integer.MAX_VALUE;
  }
}
