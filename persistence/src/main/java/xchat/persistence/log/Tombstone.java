package xchat.persistence.log;

import xchat.persistence.CircleId;
import xchat.protocol.event.EventId;

/** What is left of an erased rumor: enough to refuse a late copy, nothing of its content. */
public record Tombstone(CircleId circle, EventId rumorId, long deletedAt, TombstoneReason reason) {
  public Tombstone {
    if (circle == null || rumorId == null || reason == null || deletedAt < 0) {
      throw new IllegalArgumentException("tombstone needs every field");
    }
  }
}
