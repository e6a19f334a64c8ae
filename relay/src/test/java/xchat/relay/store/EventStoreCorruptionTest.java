package xchat.relay.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDBException;
import xchat.protocol.event.EventJson;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.filter.Filter;
import xchat.protocol.keys.KeyPair;
import xchat.relay.testing.StoreSurgery;
import xchat.relay.testing.TestEvents;

/** A damaged value in the events family is a typed failure on every read path, never served. */
class EventStoreCorruptionTest {
  private static final long NOW = 1_750_000_000L;

  @TempDir Path dir;

  @Test
  void everyReadOfADamagedEventFailsWithAStoreException() throws RocksDBException {
    TestEvents events = new TestEvents(0x5eed_c0deL);
    KeyPair recipient = events.keys();
    NostrEvent wrap = events.event(events.keys(), 1059, NOW,
        List.of(TestEvents.p(recipient.publicKey())), "sealed");
    try (EventStore store = open()) {
      store.submit(wrap).toCompletableFuture().join();
    }
    String json = EventJson.toJson(wrap);
    overwrite(wrap, json.substring(0, json.length() - 2));

    Access access = new Access(Set.of(recipient.publicKey()));
    List<Filter> byIndex = List.of(Filter.builder().kinds(1059).build());
    List<Filter> byId = List.of(Filter.builder().ids(wrap.id()).build());
    try (EventStore store = open()) {
      for (List<Filter> filters : List.of(byIndex, byId)) {
        assertCorrupt(() -> store.querySnapshot(filters, access, 10, 10), events.why("REQ"));
        assertCorrupt(() -> store.query(filters, access, 10, 10), events.why("query"));
        assertCorrupt(() -> store.negentropyItems(filters.get(0), access, 10), events.why("NEG"));
      }
      assertCorrupt(() -> store.get(wrap.id()), events.why("get"));
    }
  }

  @Test
  void anIntactEventIsServedByteForByte() throws RocksDBException {
    TestEvents events = new TestEvents(0x5eed_c0dfL);
    NostrEvent note = events.note(events.keys(), NOW, "as \"stored\" \u00e9");
    try (EventStore store = open()) {
      store.submit(note).toCompletableFuture().join();
    }
    // Extra fields are allowed by NIP-01; whatever the store holds is what is served.
    String json = EventJson.toJson(note);
    String extended = json.substring(0, json.length() - 1) + ",\"relay_note\":[1,{}]}";
    overwrite(note, extended);
    try (EventStore store = open()) {
      StoredEvent served =
          store.querySnapshot(List.of(Filter.ALL), Access.ANONYMOUS, 10, 10).events().get(0);
      assertEquals(extended, served.json(), events.why("served"));
      assertEquals(note, served.toEvent(), events.why("parsed"));
    }
  }

  private EventStore open() {
    return EventStore.open(dir, Durability.SYNC, () -> NOW, (event, json, sequence) -> {});
  }

  private static void assertCorrupt(Runnable read, String why) {
    StoreException e = assertThrows(StoreException.class, read::run, why);
    assertTrue(e.getMessage().startsWith("a stored event is corrupt"), why + ": " + e.getMessage());
  }

  private void overwrite(NostrEvent event, String value) throws RocksDBException {
    StoreSurgery.overwriteEvent(dir, event.id(), value);
  }
}
