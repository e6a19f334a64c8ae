package xchat.relay.store;

import xchat.protocol.nip77.SortedVectorStorage;

/** The (created_at, id) items a NIP-77 session reconciles, or why there are none. */
public sealed interface NegentropyItems {

  /** Every item the filter matches and the reader may see, sorted for the reconciler. */
  record Items(SortedVectorStorage storage) implements NegentropyItems {}

  /** More than {@code limit} items match: the relay refuses rather than hold them all. */
  record TooMany(int limit) implements NegentropyItems {}
}
