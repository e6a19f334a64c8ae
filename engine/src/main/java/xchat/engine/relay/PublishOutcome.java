package xchat.engine.relay;

import java.util.Objects;
import xchat.engine.transport.RelayUrl;
import xchat.protocol.event.EventId;

/**
 * The final word of one relay on one event. Every publish ends in exactly one outcome per relay.
 *
 * @param message the relay's OK or local reason text, for logs and the CLI
 * @param attempts EVENT frames sent for this outcome (0 when refused locally)
 */
public record PublishOutcome(
    RelayUrl relay, EventId eventId, Status status, String message, int attempts) {

  public enum Status {
    /** OK true. */
    ACCEPTED(true, true),
    /** OK false "duplicate:": the relay has it already, which is what we wanted. */
    DUPLICATE(true, true),
    /** OK false "invalid:", "blocked:", "restricted:", "pow:" and the like: retrying cannot help. */
    REJECTED(false, true),
    /** NIP-42 AUTH was refused, or the relay still wants AUTH from the key we authenticated with. */
    AUTH_REFUSED(false, true),
    /** Older than the relay's NIP-11 {@code created_at_lower_limit}: never sent. */
    TOO_OLD(false, true),
    /** Larger than the relay's NIP-11 {@code max_message_length}: never sent. */
    TOO_LARGE(false, true),
    /** Transient failures ("rate-limited:", "error:", timeouts) until the attempts ran out. */
    GAVE_UP(false, false),
    /** Too many events waiting for this relay; the outbox may try again later. */
    OVERLOADED(false, false),
    /** The relay actor stopped before the relay answered. */
    ABANDONED(false, false);

    private final boolean success;
    private final boolean terminal;

    Status(boolean success, boolean terminal) {
      this.success = success;
      this.terminal = terminal;
    }

    public boolean isSuccess() {
      return success;
    }

    /** True when trying the same event on the same relay again will not change the outcome. */
    public boolean isFinal() {
      return terminal;
    }
  }

  public PublishOutcome {
    Objects.requireNonNull(relay, "relay");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(message, "message");
    if (attempts < 0) {
      throw new IllegalArgumentException("attempts must not be negative");
    }
  }

  public boolean isSuccess() {
    return status.isSuccess();
  }
}
