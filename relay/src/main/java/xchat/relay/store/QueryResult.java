package xchat.relay.store;

import java.util.List;
import xchat.protocol.event.NostrEvent;

/** The events a query found, and the sequence number of the snapshot it read. */
public record QueryResult(List<NostrEvent> events, long snapshotSequence) {
  public QueryResult {
    events = List.copyOf(events);
  }
}
