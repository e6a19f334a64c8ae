package xchat.persistence.log;

import java.util.List;
import java.util.Optional;

/**
 * Messages in ascending conversation order. {@code next} is where to continue in the direction
 * that was asked for; it is present when the page was full (the next page may still be empty)
 * and empty once that direction is exhausted.
 */
public record MessagePage(List<StoredMessage> messages, Optional<MessageCursor> next) {
  public MessagePage {
    messages = List.copyOf(messages);
    if (next == null) {
      throw new IllegalArgumentException("next must not be null");
    }
  }
}
