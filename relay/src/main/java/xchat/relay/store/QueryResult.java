package xchat.relay.store;

import java.util.List;

/** The events a query found, as stored, and the sequence number of the snapshot it read. */
public record QueryResult(List<StoredEvent> events, long snapshotSequence) {
  public QueryResult {
    events = List.copyOf(events);
  }
}
