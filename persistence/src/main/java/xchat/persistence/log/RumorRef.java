package xchat.persistence.log;

import xchat.persistence.CircleId;
import xchat.protocol.event.EventId;

/** A rumor id within its circle. */
public record RumorRef(CircleId circle, EventId rumorId) {
  public RumorRef {
    if (circle == null || rumorId == null) {
      throw new IllegalArgumentException("rumor ref needs a circle and a rumor id");
    }
  }
}
