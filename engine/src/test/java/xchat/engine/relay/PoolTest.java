package xchat.engine.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import xchat.engine.testrelay.TestEvents;
import xchat.engine.testrelay.TestRelay;
import xchat.engine.transport.RelayUrl;
import xchat.protocol.event.NostrEvent;

class PoolTest {
  private RelayHarness h;
  private TestRelay second;

  @AfterEach
  void tearDown() {
    if (second != null) {
      second.close();
    }
    if (h != null) {
      h.close();
    }
  }

  private ActorRef<RelayPool.Command> pool(List<PublishOutcome> everyOutcome) {
    RelayUrl secondUrl = RelayUrl.of(second.url());
    return h.kit.spawn(RelayPool.create(List.of(h.url, secondUrl), RelayHarness.FAST, h.deps(),
        Optional.of(h.recorder(everyOutcome))));
  }

  private PublishReport publish(ActorRef<RelayPool.Command> pool, NostrEvent event, int acks,
      Duration deadline) throws Exception {
    return RelayPool.publish(pool, event, acks, deadline, h.kit.system().scheduler(),
        h.kit.system().executionContext())
        .toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void oneAcknowledgementIsEnoughWhileAnotherRelayIsDown() throws Exception {
    h = new RelayHarness(71);
    second = TestRelay.start(h.events.curve);
    second.stop();
    List<PublishOutcome> every = new CopyOnWriteArrayList<>();
    ActorRef<RelayPool.Command> pool = pool(every);
    NostrEvent note = h.events.note(TestEvents.now(), "carried by the first");
    PublishReport report = publish(pool, note, RelayPool.DEFAULT_REQUIRED_ACKS, Duration.ofSeconds(10));
    assertTrue(report.satisfied(), report.toString());
    assertEquals(PublishOutcome.Status.ACCEPTED, report.outcomes().get(h.url).status());
    assertEquals(java.util.Set.of(RelayUrl.of(second.url())), report.pending());

    second.restart();
    await().atMost(Duration.ofSeconds(10)).until(() -> second.has(note.id()));
    await().atMost(Duration.ofSeconds(5)).until(() -> every.stream()
        .anyMatch(o -> o.relay().equals(RelayUrl.of(second.url())) && o.isSuccess()));
  }

  @Test
  void twoRequiredAcknowledgementsAreNotSatisfiedByOneRelayAtTheDeadline() throws Exception {
    h = new RelayHarness(72);
    second = TestRelay.start(h.events.curve);
    second.stop();
    ActorRef<RelayPool.Command> pool = pool(new CopyOnWriteArrayList<>());
    PublishReport report = publish(pool, h.events.note(TestEvents.now(), "two please"), 2,
        Duration.ofSeconds(2));
    assertFalse(report.satisfied());
    assertEquals(1, report.acknowledgements());
    assertEquals(1, report.pending().size());
  }

  @Test
  void aTransientRefusalOnOneRelayIsCarriedByTheOther() throws Exception {
    h = new RelayHarness(73);
    second = TestRelay.start(h.events.curve);
    for (int i = 0; i < 20; i++) {
      h.relay.scriptedRefusals.add("rate-limited: later");
    }
    ActorRef<RelayPool.Command> pool = pool(new CopyOnWriteArrayList<>());
    NostrEvent note = h.events.note(TestEvents.now(), "failover");
    PublishReport report = publish(pool, note, 1, Duration.ofSeconds(10));
    assertTrue(report.satisfied());
    assertTrue(report.outcomes().get(RelayUrl.of(second.url())).isSuccess());
    assertTrue(second.has(note.id()));
  }

  @Test
  void healthIsReportedPerRelay() throws Exception {
    h = new RelayHarness(74);
    second = TestRelay.start(h.events.curve);
    second.stop();
    ActorRef<RelayPool.Command> pool = pool(new CopyOnWriteArrayList<>());
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      List<RelayHealth> health = RelayPool.health(pool, Duration.ofSeconds(5), h.kit.system().scheduler(),
          h.kit.system().executionContext())
          .toCompletableFuture().get(10, TimeUnit.SECONDS);
      return health.size() == 2
          && health.stream().anyMatch(r -> r.state() == ConnectionState.OPEN)
          && health.stream().anyMatch(r -> r.connections() == 0 && r.connectAttempts() >= 2);
    });
  }

  @Test
  void subscribeAllOpensTheSubscriptionOnEveryRelay() {
    h = new RelayHarness(75);
    second = TestRelay.start(h.events.curve);
    second.store(h.events.note(TestEvents.now() - 3, "on the second"));
    h.relay.store(h.events.note(TestEvents.now() - 4, "on the first"));
    ActorRef<RelayPool.Command> pool = pool(new CopyOnWriteArrayList<>());
    pool.tell(new RelayPool.SubscribeAll(new RelayActor.Subscribe("all",
        List.of(xchat.protocol.filter.Filter.builder().kinds(1).build()), java.util.OptionalLong.empty(), 0)));
    await().atMost(Duration.ofSeconds(5)).until(() -> h.ingest.size() == 2);
    java.util.Set<RelayUrl> from = new java.util.HashSet<>();
    h.ingest.poll().ifPresent(e -> from.add(e.relay()));
    h.ingest.poll().ifPresent(e -> from.add(e.relay()));
    assertEquals(java.util.Set.of(h.url, RelayUrl.of(second.url())), from);
  }
}
