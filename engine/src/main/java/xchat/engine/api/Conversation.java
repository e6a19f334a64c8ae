package xchat.engine.api;

import java.util.List;
import java.util.Objects;

/** A NIP-17 room in a circle: {@code id} is the SHA-256 over its sorted member keys. */
public record Conversation(String circle, String id, List<String> members) {
  public Conversation {
    Objects.requireNonNull(circle, "circle");
    Objects.requireNonNull(id, "id");
    members = List.copyOf(members);
  }
}
