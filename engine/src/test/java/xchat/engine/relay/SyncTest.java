package xchat.engine.relay;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import xchat.engine.testrelay.TestEvents;
import xchat.protocol.event.EventId;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.filter.Filter;
import xchat.protocol.message.ClientMessage;
import xchat.protocol.nip77.Item;
import xchat.protocol.nip77.SortedVectorStorage;

class SyncTest {
  private static final String NIP77 = "{\"supported_nips\":[1,11,77]}";
  private RelayHarness h;

  @AfterEach
  void tearDown() {
    if (h != null) {
      h.close();
    }
  }

  private SyncReport sync(ActorRef<RelayActor.Command> actor, String id, Filter filter, List<NostrEvent> local) {
    List<Item> items = new ArrayList<>();
    for (NostrEvent e : local) {
      items.add(new Item(e.createdAt(), e.id().bytes()));
    }
    List<SyncReport> reports = new CopyOnWriteArrayList<>();
    actor.tell(new RelayActor.Sync(id, filter, SortedVectorStorage.of(items), h.recorder(reports)));
    await().atMost(Duration.ofSeconds(15)).until(() -> reports.size() == 1);
    return reports.get(0);
  }

  private Set<EventId> drainIds() {
    Set<EventId> ids = new HashSet<>();
    while (true) {
      var next = h.ingest.poll();
      if (next.isEmpty()) {
        return ids;
      }
      ids.add(next.get().event().id());
    }
  }

  /** {@code count} notes over {@code seconds} distinct timestamps. */
  private List<NostrEvent> storeNotes(int count, int seconds) {
    long t0 = TestEvents.now() - 10_000;
    List<NostrEvent> notes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      NostrEvent e = h.events.note(t0 + (i % seconds), "n" + i);
      notes.add(e);
      h.relay.store(e);
    }
    return notes;
  }

  @Test
  void negentropySyncFetchesWhatWeLackAndIsComplete() {
    h = new RelayHarness(51);
    h.relay.infoJson = NIP77;
    List<NostrEvent> onRelay = storeNotes(60, 40);
    List<NostrEvent> local = new ArrayList<>(onRelay.subList(0, 25));
    NostrEvent onlyLocal = h.events.note(TestEvents.now() - 5, "only here");
    local.add(onlyLocal);
    SyncReport report = sync(h.spawn(), "sync1", Filter.builder().kinds(1).build(), local);
    assertEquals(SyncReport.Completeness.COMPLETE, report.completeness(), report.detail());
    assertEquals(SyncReport.Method.NIP77, report.method());
    assertEquals(35, report.eventsReceived(), h.seedMessage());
    assertEquals(List.of(onlyLocal.id()), report.relayLacks());
    Set<EventId> expected = new HashSet<>();
    onRelay.subList(25, 60).forEach(e -> expected.add(e.id()));
    assertEquals(expected, drainIds());
  }

  @Test
  void reqPagingWithoutNegentropyIsCompleteOnceAPageComesBackEmpty() {
    h = new RelayHarness(52);
    List<NostrEvent> onRelay = storeNotes(50, 30); // shared timestamps cross page boundaries
    ActorRef<RelayActor.Command> actor = h.spawn(RelayHarness.FAST.withPaging(7, 100), h.deps());
    SyncReport report = sync(actor, "sync2", Filter.builder().kinds(1).build(), List.of());
    assertEquals(SyncReport.Completeness.COMPLETE, report.completeness(), report.detail());
    assertEquals(SyncReport.Method.REQ_PAGING, report.method());
    Set<EventId> expected = new HashSet<>();
    onRelay.forEach(e -> expected.add(e.id()));
    assertEquals(expected, drainIds(), h.seedMessage());
    assertEquals(50, report.eventsReceived(), "each event delivered once");
    assertTrue(h.relay.received.stream().noneMatch(m -> m instanceof ClientMessage.NegOpen));
  }

  @Test
  void pagingIsOnlyBestEffortWhenAFullPageSharesOneSecond() {
    h = new RelayHarness(53);
    storeNotes(12, 1);
    ActorRef<RelayActor.Command> actor = h.spawn(RelayHarness.FAST.withPaging(5, 100), h.deps());
    SyncReport report = sync(actor, "sync3", Filter.builder().kinds(1).build(), List.of());
    assertEquals(SyncReport.Completeness.BEST_EFFORT, report.completeness());
    assertTrue(report.detail().contains("created_at"), report.detail());
  }

  @Test
  void aClaimedNegentropyThatFailsFallsBackToPagingAndIsNotTriedAgain() {
    h = new RelayHarness(54);
    h.relay.infoJson = NIP77;
    h.relay.negentropyBroken = true;
    List<NostrEvent> onRelay = storeNotes(20, 20);
    ActorRef<RelayActor.Command> actor = h.spawn();
    SyncReport first = sync(actor, "sync4", Filter.builder().kinds(1).build(), List.of());
    assertTrue(first.fellBack());
    assertEquals(SyncReport.Method.REQ_PAGING, first.method());
    assertEquals(SyncReport.Completeness.COMPLETE, first.completeness());
    assertEquals(20, first.eventsReceived());
    assertEquals(77, h.seen(RelayEvent.CapabilityFailed.class).get(0).nip());

    SyncReport second = sync(actor, "sync5", Filter.builder().kinds(1).build(), onRelay);
    assertFalse(second.fellBack(), "NIP-77 was not tried again");
    assertEquals(SyncReport.Method.REQ_PAGING, second.method());
    assertEquals(1, h.relay.received.stream().filter(m -> m instanceof ClientMessage.NegOpen).count());
    assertTrue(h.health(actor).nip77Failed());
  }

  @Test
  void aSyncCutOffWhileFetchingStartsOverAndGetsWhatArrivedMeanwhile() {
    h = new RelayHarness(56);
    h.relay.infoJson = NIP77;
    List<NostrEvent> onRelay = storeNotes(30, 30);
    NostrEvent meanwhile = h.events.note(TestEvents.now() - 1, "stored while the client was away");
    h.relay.storeOnDrop = List.of(meanwhile);
    h.relay.dropAfterEventsOnReq = 5; // the first fetch after the NIP-77 diff
    SyncReport report = sync(h.spawn(), "cut", Filter.builder().kinds(1).build(), List.of());
    assertEquals(SyncReport.Completeness.COMPLETE, report.completeness(), report.detail());
    Set<EventId> expected = new HashSet<>();
    onRelay.forEach(e -> expected.add(e.id()));
    expected.add(meanwhile.id());
    assertEquals(expected, drainIds(), h.seedMessage());
    assertEquals(2, h.relay.received.stream().filter(m -> m instanceof ClientMessage.NegOpen).count(),
        "the diff is computed again on the new connection");
  }

  @Test
  void aSyncRequestedWhileDisconnectedRunsOnceTheRelayIsBack() {
    h = new RelayHarness(55);
    h.relay.infoJson = NIP77;
    storeNotes(10, 10);
    h.relay.stop();
    ActorRef<RelayActor.Command> actor = h.spawn();
    List<Item> none = List.of();
    List<SyncReport> reports = new CopyOnWriteArrayList<>();
    actor.tell(new RelayActor.Sync("later", Filter.builder().kinds(1).build(),
        SortedVectorStorage.of(none), h.recorder(reports)));
    await().atMost(Duration.ofSeconds(5)).until(() -> h.seen(RelayEvent.BackingOff.class).size() >= 2);
    h.relay.restart();
    await().atMost(Duration.ofSeconds(10)).until(() -> reports.size() == 1);
    assertEquals(SyncReport.Completeness.COMPLETE, reports.get(0).completeness());
    assertEquals(10, reports.get(0).eventsReceived());
  }
}
