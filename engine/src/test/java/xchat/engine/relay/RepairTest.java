package xchat.engine.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import xchat.engine.testrelay.TestEvents;
import xchat.engine.transport.RelayUrl;
import xchat.protocol.event.EventId;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.filter.Filter;
import xchat.protocol.nip77.Item;

class RepairTest {
  private RelayHarness h;

  @AfterEach
  void tearDown() {
    if (h != null) {
      h.close();
    }
  }

  /** An in-memory stand-in for the outbox: what we authored, by id. */
  private static final class Authored implements AuthoredEvents {
    final Map<EventId, NostrEvent> events = new ConcurrentHashMap<>();
    final Filter filter;

    Authored(Filter filter) {
      this.filter = filter;
    }

    @Override
    public CompletionStage<AuthoredSet> authoredFor(RelayUrl relay) {
      List<Item> items = new ArrayList<>();
      for (NostrEvent e : events.values()) {
        items.add(new Item(e.createdAt(), e.id().bytes()));
      }
      return CompletableFuture.completedFuture(new AuthoredSet(filter, items));
    }

    @Override
    public CompletionStage<Optional<NostrEvent>> load(EventId id) {
      return CompletableFuture.completedFuture(Optional.ofNullable(events.get(id)));
    }
  }

  @ParameterizedTest(name = "negentropy claimed: {0}")
  @ValueSource(booleans = {true, false})
  void aRelayThatLiedAboutStoringIsRepairedWhenItComesBack(boolean negentropy) {
    h = new RelayHarness(negentropy ? 81 : 82);
    if (negentropy) {
      h.relay.infoJson = "{\"supported_nips\":[1,11,77]}";
    }
    h.relay.lieAboutStoring = true;
    Authored authored = new Authored(Filter.builder().authors(h.events.keys.publicKey()).build());
    ActorRef<RelayActor.Command> actor = h.spawn(RelayHarness.FAST, h.deps().withAuthored(authored));
    // The first connection's repair has nothing to check yet.
    await().atMost(Duration.ofSeconds(5)).until(() -> h.seen(RelayEvent.RepairFinished.class).size() == 1);
    assertEquals(0, h.seen(RelayEvent.RepairFinished.class).get(0).report().checked());

    List<NostrEvent> sent = new ArrayList<>();
    List<PublishOutcome> outcomes = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 5; i++) {
      NostrEvent e = h.events.note(TestEvents.now() - i, "mine " + i);
      sent.add(e);
      authored.events.put(e.id(), e);
      actor.tell(new RelayActor.Publish(e, h.recorder(outcomes)));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> outcomes.size() == 5);
    assertTrue(outcomes.stream().allMatch(o -> o.status() == PublishOutcome.Status.ACCEPTED),
        "the relay said OK true");
    assertEquals(0, h.relay.storedCount(), "and stored nothing");

    h.relay.lieAboutStoring = false;
    NostrEvent kept = sent.get(0);
    h.relay.store(kept); // one did make it
    int repairsBefore = h.seen(RelayEvent.RepairFinished.class).size();
    h.relay.dropConnections();

    await().atMost(Duration.ofSeconds(10)).until(() ->
        h.seen(RelayEvent.RepairFinished.class).size() > repairsBefore
            && h.seen(RelayEvent.RepairFinished.class).get(h.seen(RelayEvent.RepairFinished.class).size() - 1)
                .report().checked() == 5);
    RepairReport report = h.seen(RelayEvent.RepairFinished.class)
        .get(h.seen(RelayEvent.RepairFinished.class).size() - 1).report();
    assertTrue(report.complete(), report.detail());
    assertEquals(negentropy ? RepairReport.Method.NIP77 : RepairReport.Method.ID_CHECK, report.method());
    assertEquals(4, report.missing().size(), h.seedMessage());
    assertFalse(report.missing().contains(kept.id()));
    await().atMost(Duration.ofSeconds(10)).until(() -> sent.stream().allMatch(e -> h.relay.has(e.id())));
    await().atMost(Duration.ofSeconds(5)).until(() -> h.seen(RelayEvent.Republished.class).size() == 4);
    assertTrue(h.seen(RelayEvent.Republished.class).stream().allMatch(r -> r.outcome().isSuccess()));
  }
}
