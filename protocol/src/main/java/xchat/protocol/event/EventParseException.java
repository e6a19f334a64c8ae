package xchat.protocol.event;

/** Input that is not a well-formed NIP-01 event. The message never echoes content. */
public final class EventParseException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why an event was refused. */
  public enum Reason {
    TOO_LARGE,
    MALFORMED_JSON,
    INVALID_UTF8,
    NOT_AN_OBJECT,
    MISSING_FIELD,
    DUPLICATE_FIELD,
    WRONG_TYPE,
    BAD_HEX,
    BAD_NUMBER,
    TOO_MANY_TAGS,
    TAG_TOO_LONG,
    EMPTY_TAG,
    STRING_TOO_LONG,
    TOO_DEEP,
    INVALID_UNICODE,
    ID_MISMATCH
  }

  private final Reason reason;

  public EventParseException(Reason reason, String detail) {
    super(reason + ": " + detail);
    this.reason = reason;
  }

  public EventParseException(Reason reason, String detail, Throwable cause) {
    super(reason + ": " + detail, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
