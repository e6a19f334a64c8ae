package xchat.relay.store;

import xchat.protocol.event.NostrEvent;

/** Told, on the writer thread and in commit order, of each event once it is durable. */
@FunctionalInterface
public interface StoredListener {

  /**
   * @param json the JSON the event was stored as, so a listener need not serialise it again
   * @param commitSequence the store's sequence number of the write that stored {@code event};
   *     a query whose {@link QueryResult#snapshotSequence()} is at least this already saw it
   */
  void stored(NostrEvent event, String json, long commitSequence);
}
