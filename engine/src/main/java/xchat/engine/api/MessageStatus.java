package xchat.engine.api;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where an outgoing message stands.
 *
 * @param copies per recipient (hex key; the sender's own copy included), per relay URL, that
 *     relay's state for that copy
 * @param reason why it failed, when {@code state} is FAILED
 */
public record MessageStatus(
    String messageId, State state, Map<String, Map<String, CopyState>> copies, Optional<String> reason) {

  public enum State {
    /** Durably in the outbox; no relay has accepted every copy yet. */
    QUEUED,
    /** Some copies were accepted by some relays. */
    ACCEPTED,
    /** Every copy was accepted by at least the required number of relays. */
    SENT,
    /** A copy cannot reach enough relays for a reason retrying cannot fix. */
    FAILED
  }

  /** One relay's answer for one copy. */
  public enum CopyState {
    PENDING,
    ACCEPTED,
    REFUSED
  }

  public MessageStatus {
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(state, "state");
    TreeMap<String, Map<String, CopyState>> sorted = new TreeMap<>();
    copies.forEach((recipient, relays) -> sorted.put(recipient, Map.copyOf(relays)));
    copies = java.util.Collections.unmodifiableMap(sorted);
    Objects.requireNonNull(reason, "reason");
  }

  public boolean isTerminal() {
    return state == State.SENT || state == State.FAILED;
  }
}
