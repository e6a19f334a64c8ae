package xchat.engine.api;

import java.util.List;
import java.util.Optional;

/**
 * Messages of one conversation in its one order (rumor created_at, then rumor id).
 *
 * @param next pass it back to continue after the last message; empty once the end is reached
 */
public record MessagePage(List<Message> messages, Optional<String> next) {
  public MessagePage {
    messages = List.copyOf(messages);
    if (next == null) {
      throw new IllegalArgumentException("next must not be null");
    }
  }
}
