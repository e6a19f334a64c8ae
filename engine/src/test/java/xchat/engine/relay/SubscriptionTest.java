package xchat.engine.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import xchat.engine.testrelay.TestEvents;
import xchat.protocol.event.EventId;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.filter.Filter;
import xchat.protocol.message.ClientMessage;

class SubscriptionTest {
  private RelayHarness h;

  @AfterEach
  void tearDown() {
    if (h != null) {
      h.close();
    }
  }

  private static RelayActor.Subscribe notes(String id, OptionalLong cursor, long overlap) {
    return new RelayActor.Subscribe(id, List.of(Filter.builder().kinds(1).build()), cursor, overlap);
  }

  private List<EventId> drainIds() {
    List<EventId> ids = new ArrayList<>();
    while (true) {
      var next = h.ingest.poll();
      if (next.isEmpty()) {
        return ids;
      }
      ids.add(next.get().event().id());
    }
  }

  @Test
  void subscriptionResumesFromItsCursorAfterReconnect() {
    h = new RelayHarness(21);
    long t0 = TestEvents.now() - 1000;
    for (int i = 0; i < 5; i++) {
      h.relay.store(h.events.note(t0 + i, "old " + i));
    }
    ActorRef<RelayActor.Command> actor = h.spawn();
    actor.tell(notes("inbox", OptionalLong.empty(), 2));
    await().atMost(Duration.ofSeconds(5)).until(() -> h.seen(RelayEvent.CursorAdvanced.class).stream()
        .anyMatch(c -> c.createdAt() == t0 + 4));
    assertEquals(5, drainIds().size());

    h.relay.stop();
    NostrEvent missed = h.events.note(t0 + 100, "while away");
    h.relay.store(missed);
    h.relay.restart();

    await().atMost(Duration.ofSeconds(10)).until(() -> h.ingest.size() >= 1
        && h.relay.connections.get() >= 2);
    await().atMost(Duration.ofSeconds(5)).until(() -> h.seen(RelayEvent.CursorAdvanced.class).stream()
        .anyMatch(c -> c.createdAt() == t0 + 100));
    List<EventId> afterReconnect = drainIds();
    assertTrue(afterReconnect.contains(missed.id()), "the missed event arrives; " + h.seedMessage());
    // Resumed from cursor minus overlap, not from the beginning.
    ClientMessage.Req resumed = h.relay.received.stream()
        .filter(m -> m instanceof ClientMessage.Req r && r.subscriptionId().equals("inbox"))
        .map(ClientMessage.Req.class::cast).reduce((a, b) -> b).orElseThrow();
    assertEquals(OptionalLong.of(t0 + 4 - 2), resumed.filters().get(0).since());
    assertEquals(4, afterReconnect.size(), "only the overlap (3 old events) and the missed one");
  }

  @Test
  void aConnectionDroppedMidReqDoesNotAdvanceTheCursorAndNothingIsLost() {
    h = new RelayHarness(22);
    long t0 = TestEvents.now() - 1000;
    Set<EventId> all = new HashSet<>();
    for (int i = 0; i < 6; i++) {
      NostrEvent e = h.events.note(t0 + i, "n" + i);
      all.add(e.id());
      h.relay.store(e);
    }
    h.relay.dropAfterEventsOnReq = 2; // newest two, then the socket dies before EOSE
    ActorRef<RelayActor.Command> actor = h.spawn();
    actor.tell(notes("inbox", OptionalLong.of(t0 - 50), 0));
    await().atMost(Duration.ofSeconds(10)).until(() -> h.seen(RelayEvent.CursorAdvanced.class).size() >= 1);
    // The first report came after a complete REQ on the second connection.
    assertTrue(h.relay.connections.get() >= 2, h.seedMessage());
    assertEquals(t0 + 5, h.seen(RelayEvent.CursorAdvanced.class).get(0).createdAt());
    ClientMessage.Req second = h.relay.received.stream()
        .filter(m -> m instanceof ClientMessage.Req r && r.subscriptionId().equals("inbox"))
        .map(ClientMessage.Req.class::cast).skip(1).findFirst().orElseThrow();
    assertEquals(OptionalLong.of(t0 - 50), second.filters().get(0).since(),
        "the cursor did not move on a REQ cut off before EOSE");
    assertTrue(new HashSet<>(drainIds()).containsAll(all), "every event arrived; " + h.seedMessage());
  }

  @Test
  void subscriptionsBeyondTheRelayLimitAreQueued() {
    h = new RelayHarness(23);
    h.relay.infoJson = "{\"supported_nips\":[1,11],\"limitation\":{\"max_subscriptions\":3}}";
    ActorRef<RelayActor.Command> actor = h.spawn();
    for (int i = 0; i < 5; i++) {
      actor.tell(notes("s" + i, OptionalLong.empty(), 0));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> h.health(actor).activeSubscriptions() == 2);
    RelayHealth health = h.health(actor);
    assertEquals(3, health.queuedSubscriptions());
    actor.tell(new RelayActor.Unsubscribe("s0"));
    actor.tell(new RelayActor.Unsubscribe("s1"));
    await().atMost(Duration.ofSeconds(5)).until(() -> h.health(actor).queuedSubscriptions() == 1);
    assertTrue(h.relay.maxConcurrentSubscriptions.get() <= 3,
        "never more REQs open than max_subscriptions, keepalive included");
  }

  @Test
  void liveEventsFlowAndAdvanceTheCursor() {
    h = new RelayHarness(24);
    ActorRef<RelayActor.Command> actor = h.spawn();
    actor.tell(notes("live", OptionalLong.empty(), 0));
    await().atMost(Duration.ofSeconds(5)).until(() -> h.relay.received.stream()
        .anyMatch(m -> m instanceof ClientMessage.Req r && r.subscriptionId().equals("live")));
    NostrEvent live = h.events.note(TestEvents.now(), "live one");
    var outcomes = new java.util.concurrent.CopyOnWriteArrayList<PublishOutcome>();
    actor.tell(new RelayActor.Publish(live, h.recorder(outcomes)));
    await().atMost(Duration.ofSeconds(5)).until(() -> h.ingest.size() == 1);
    assertEquals(live.id(), h.ingest.poll().orElseThrow().event().id());
    await().atMost(Duration.ofSeconds(5)).until(() -> h.seen(RelayEvent.CursorAdvanced.class).stream()
        .anyMatch(c -> c.createdAt() == live.createdAt()));
  }

  @Test
  void aTransientClosedIsRetriedAndATerminalOneIsReported() {
    h = new RelayHarness(25);
    h.relay.scriptedClosed.add("rate-limited: too many REQs");
    h.relay.scriptedClosed.add("error: busy");
    h.relay.store(h.events.note(TestEvents.now() - 5, "stored"));
    ActorRef<RelayActor.Command> actor = h.spawn();
    actor.tell(notes("retried", OptionalLong.empty(), 0));
    await().atMost(Duration.ofSeconds(5)).until(() -> h.ingest.size() == 1);
    assertEquals(3, h.relay.received.stream()
        .filter(m -> m instanceof ClientMessage.Req r && r.subscriptionId().equals("retried")).count());
    assertTrue(h.seen(RelayEvent.SubscriptionClosed.class).isEmpty());

    h.relay.scriptedClosed.add("blocked: not for you");
    actor.tell(notes("refused", OptionalLong.empty(), 0));
    await().atMost(Duration.ofSeconds(5)).until(() -> !h.seen(RelayEvent.SubscriptionClosed.class).isEmpty());
    RelayEvent.SubscriptionClosed closed = h.seen(RelayEvent.SubscriptionClosed.class).get(0);
    assertEquals("refused", closed.subscriptionId());
    assertEquals("blocked: not for you", closed.message());
    await().atMost(Duration.ofSeconds(5)).until(() -> h.health(actor).queuedSubscriptions() == 0);
  }

  @Test
  void idsReservedForTheActorAreRefused() {
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> notes("xchat-ka", OptionalLong.empty(), 0));
  }
}
