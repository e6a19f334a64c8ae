package xchat.persistence.log;

import xchat.protocol.event.EventId;

/** A position in a conversation's one order: rumor created_at, then rumor id. */
public record MessageCursor(long createdAt, EventId rumorId) implements Comparable<MessageCursor> {

  public MessageCursor {
    if (createdAt < 0 || rumorId == null) {
      throw new IllegalArgumentException("cursor needs a non-negative created_at and a rumor id");
    }
  }

  @Override
  public int compareTo(MessageCursor other) {
    int byTime = Long.compare(createdAt, other.createdAt);
    return byTime != 0 ? byTime : rumorId.compareTo(other.rumorId);
  }
}
