package xchat.persistence.index;

import xchat.protocol.event.EventId;

/** One NIP-77 item: an event this device holds, ordered by (created_at, id). */
public record NegentropyItem(long createdAt, EventId id) implements Comparable<NegentropyItem> {
  public NegentropyItem {
    if (createdAt < 0 || id == null) {
      throw new IllegalArgumentException("negentropy item needs a created_at and an id");
    }
  }

  @Override
  public int compareTo(NegentropyItem other) {
    int byTime = Long.compare(createdAt, other.createdAt);
    return byTime != 0 ? byTime : id.compareTo(other.id);
  }
}
