package xchat.persistence.index;

import xchat.persistence.CircleId;
import xchat.protocol.event.EventId;

/** A NIP-40 expiration registered for a rumor. */
public record Expiry(CircleId circle, EventId rumorId, long expiresAt) {
  public Expiry {
    if (circle == null || rumorId == null || expiresAt < 0) {
      throw new IllegalArgumentException("expiry needs a circle, a rumor id and a time");
    }
  }
}
