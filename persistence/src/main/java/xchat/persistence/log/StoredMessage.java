package xchat.persistence.log;

import java.util.Optional;
import xchat.persistence.CircleId;
import xchat.protocol.event.EventId;
import xchat.protocol.event.Rumor;

/**
 * A rumor as the log holds it.
 *
 * @param seq local sequence number: increases with each commit on this device, may have gaps
 * @param wrapId the gift wrap it arrived in, when the engine recorded it
 */
public record StoredMessage(
    long seq, CircleId circle, ConversationId conversation, Rumor rumor, Optional<EventId> wrapId) {

  public StoredMessage {
    if (seq <= 0 || circle == null || conversation == null || rumor == null || wrapId == null) {
      throw new IllegalArgumentException("stored message needs a positive seq and all fields");
    }
  }

  public EventId rumorId() {
    return rumor.id();
  }

  public long createdAt() {
    return rumor.event().createdAt();
  }

  public MessageCursor cursor() {
    return new MessageCursor(createdAt(), rumor.id());
  }
}
