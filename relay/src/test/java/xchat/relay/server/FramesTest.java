package xchat.relay.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.filter.Filter;
import xchat.protocol.message.MessageParseException;
import xchat.protocol.message.RelayMessage;
import xchat.protocol.message.RelayMessageJson;
import xchat.relay.store.Access;
import xchat.relay.store.Durability;
import xchat.relay.store.EventStore;
import xchat.relay.store.StoredEvent;
import xchat.relay.testing.TestEvents;

class FramesTest {
  @TempDir Path dir;

  @Test
  void aStoredEventFrameIsTheEventMessageForAnyId() throws MessageParseException {
    TestEvents events = new TestEvents(0x5eed_f4a3L);
    NostrEvent note = events.note(events.keys(), 1_750_000_000L, "h\u00e9llo \"there\" \\ \ud83d\udd11");
    try (EventStore store = EventStore.open(dir, Durability.WAL, () -> 1_750_000_000L,
        (event, json, sequence) -> {})) {
      store.submit(note).toCompletableFuture().join();
      StoredEvent stored =
          store.querySnapshot(List.of(Filter.ALL), Access.ANONYMOUS, 10, 10).events().get(0);
      for (String id : List.of("sub", "quote\"back\\slash", "tab\tnew\nline", "caf\u00e9 \ud83d\ude00",
          "\u0001")) {
        String frame = Frames.event(Frames.eventHead(id), stored);
        assertEquals(new RelayMessage.EventMessage(id, note).toJson(), frame, events.why(id));
        assertEquals(new RelayMessage.EventMessage(id, note), RelayMessageJson.parse(frame),
            events.why(id));
        assertEquals(Frames.event(id, stored.json()), frame, events.why(id));
        assertEquals(frame, new String(frame.getBytes(StandardCharsets.UTF_8),
            StandardCharsets.UTF_8), events.why(id));
      }
    }
  }
}
