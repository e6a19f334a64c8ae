package xchat.relay.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xchat.protocol.event.EventId;
import xchat.protocol.event.EventJson;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.filter.Filter;
import xchat.relay.testing.TestEvents;

/**
 * The commit sequence a live subscriber hears with each event, against the snapshot sequence of a
 * backfill query: what lets a relay send an event once, never in both the backfill and live.
 */
class EventStoreSequenceTest {
  private static final long NOW = 1_750_000_000L;

  @TempDir Path dir;
  private final AtomicLong clock = new AtomicLong(NOW);
  private final Map<EventId, Long> committedAt = new ConcurrentHashMap<>();
  private final Map<EventId, String> announcedJson = new ConcurrentHashMap<>();
  private final TestEvents events = new TestEvents(0x5eed_0020L);
  private EventStore store;

  @BeforeEach
  void open() {
    store = EventStore.open(dir, Durability.WAL, clock::get,
        (event, json, sequence) -> {
          committedAt.put(event.id(), sequence);
          announcedJson.put(event.id(), json);
        });
  }

  @AfterEach
  void close() {
    store.close();
  }

  private void put(NostrEvent event) {
    store.submit(event).toCompletableFuture().join();
  }

  @Test
  void everyEventAQuerySawWasCommittedAtOrBeforeItsSnapshot() {
    List<NostrEvent> before = List.of(
        events.note(events.keys(), NOW - 2, "one"), events.note(events.keys(), NOW - 1, "two"));
    before.forEach(this::put);
    QueryResult backfill = store.querySnapshot(List.of(Filter.ALL), Access.ANONYMOUS, 100, 100);
    assertEquals(2, backfill.events().size());
    for (StoredEvent seen : backfill.events()) {
      assertTrue(committedAt.get(seen.id()) <= backfill.snapshotSequence(),
          "a backfilled event counts as already sent");
    }
    NostrEvent after = events.note(events.keys(), NOW, "three");
    put(after);
    assertTrue(committedAt.get(after.id()) > backfill.snapshotSequence(),
        "an event stored after the snapshot is new to the subscriber");
  }

  @Test
  void listenersHearTheJsonThatWasStored() {
    NostrEvent note = events.note(events.keys(), NOW, "caf\u00e9 \"as stored\"");
    put(note);
    String stored = store.querySnapshot(List.of(Filter.ALL), Access.ANONYMOUS, 10, 10)
        .events().get(0).json();
    assertEquals(stored, announcedJson.get(note.id()), events.why("announced JSON"));
    assertEquals(EventJson.toJson(note), stored, events.why("stored JSON"));
  }

  @Test
  void commitSequencesGrowInCommitOrder() {
    NostrEvent first = events.note(events.keys(), NOW, "first");
    NostrEvent second = events.note(events.keys(), NOW - 100, "older, stored later");
    put(first);
    put(second);
    assertTrue(committedAt.get(first.id()) < committedAt.get(second.id()));
  }
}
