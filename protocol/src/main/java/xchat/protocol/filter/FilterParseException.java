package xchat.protocol.filter;

/** Input that is not a valid NIP-01 filter. The message names the field, never its value. */
public final class FilterParseException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a filter was refused. */
  public enum Reason {
    MALFORMED_JSON,
    INVALID_UTF8,
    TOO_DEEP,
    NOT_AN_OBJECT,
    /** A key NIP-01 does not define, including {@code #} keys that are not one letter. */
    UNKNOWN_FIELD,
    /** A key from an extension this codec does not implement, such as NIP-50 {@code search}. */
    UNSUPPORTED_FIELD,
    DUPLICATE_FIELD,
    WRONG_TYPE,
    EMPTY_LIST,
    TOO_MANY_VALUES,
    BAD_HEX,
    BAD_KIND,
    BAD_NUMBER,
    INVALID_UNICODE
  }

  private final Reason reason;

  public FilterParseException(Reason reason, String detail) {
    super(reason + ": " + detail);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
