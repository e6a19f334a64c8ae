package xchat.protocol.blossom;

/** A server answer that is not a BUD-02 blob descriptor (or list of them). */
public final class BlobDescriptorParseException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What was wrong with the JSON. */
  public enum Reason {
    MALFORMED_JSON,
    NOT_AN_OBJECT,
    NOT_AN_ARRAY,
    MISSING_FIELD,
    WRONG_TYPE,
    BAD_HASH,
    TOO_MANY_ITEMS,
    TOO_LARGE
  }

  private final Reason reason;

  public BlobDescriptorParseException(Reason reason, String detail) {
    super(reason + ": " + detail);
    this.reason = reason;
  }

  public BlobDescriptorParseException(Reason reason, String detail, Throwable cause) {
    super(reason + ": " + detail, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
