package xchat.protocol.message;

import java.util.Optional;
import xchat.protocol.event.EventParseException;
import xchat.protocol.filter.FilterParseException;

/**
 * A frame that is not a valid NIP-01 message. The message text never echoes the input; the
 * subscription id is exposed separately so a relay can answer a refused REQ with CLOSED.
 */
public final class MessageParseException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a frame was refused. */
  public enum Reason {
    TOO_LARGE,
    MALFORMED_JSON,
    INVALID_UTF8,
    /** Nesting or number length beyond the shared Jackson constraints. */
    TOO_DEEP,
    NOT_AN_ARRAY,
    UNKNOWN_TYPE,
    /** Too few or too many elements for the message type. */
    BAD_ARITY,
    /** An element of the wrong JSON type, such as a number where a string belongs. */
    WRONG_TYPE,
    BAD_SUBSCRIPTION_ID,
    TOO_MANY_FILTERS,
    /** See {@link #filterReason()}. */
    BAD_FILTER,
    /** See {@link #eventReason()}. */
    BAD_EVENT,
    /** An event id or NIP-77 payload that is not lower-case hex of the right length. */
    BAD_HEX,
    BAD_NUMBER,
    INVALID_UNICODE
  }

  private final Reason reason;
  private final String messageType;
  private final String subscriptionId;
  private final EventParseException.Reason eventReason;
  private final FilterParseException.Reason filterReason;

  public MessageParseException(Reason reason, String detail) {
    this(reason, detail, null, null, null, null);
  }

  MessageParseException(
      Reason reason,
      String detail,
      String messageType,
      String subscriptionId,
      EventParseException.Reason eventReason,
      FilterParseException.Reason filterReason) {
    super(reason + ": " + detail);
    this.reason = reason;
    this.messageType = messageType;
    this.subscriptionId = subscriptionId;
    this.eventReason = eventReason;
    this.filterReason = filterReason;
  }

  public Reason reason() {
    return reason;
  }

  /** The message type ("REQ", "EVENT", ...) once it was read and recognised. */
  public Optional<String> messageType() {
    return Optional.ofNullable(messageType);
  }

  /** The subscription id once it was read and found valid. */
  public Optional<String> subscriptionId() {
    return Optional.ofNullable(subscriptionId);
  }

  /** Present when the reason is {@link Reason#BAD_EVENT}. */
  public Optional<EventParseException.Reason> eventReason() {
    return Optional.ofNullable(eventReason);
  }

  /** Present when the reason is {@link Reason#BAD_FILTER}. */
  public Optional<FilterParseException.Reason> filterReason() {
    return Optional.ofNullable(filterReason);
  }
}
