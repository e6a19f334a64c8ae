package xchat.protocol.nip09;

/** An event that cannot be read as a NIP-09 deletion request. */
public final class DeletionParseException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a deletion request was refused. */
  public enum Reason {
    /** The kind is not 5. */
    NOT_A_DELETION,
    /** No well-formed {@code e} or {@code a} tag remains. */
    NO_TARGETS
  }

  private final Reason reason;

  public DeletionParseException(Reason reason, String detail) {
    super(reason + ": " + detail);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
