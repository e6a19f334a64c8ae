package xchat.protocol.nip44;

import java.util.Objects;

/** A plaintext NIP-44 v2 cannot carry. The message states its length, never its content. */
public final class InvalidPlaintextException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** What is wrong with the plaintext. */
  public enum Reason {
    /** Zero bytes of UTF-8. */
    EMPTY,
    /** More than {@link Nip44#MAX_PLAINTEXT_BYTES} bytes of UTF-8. */
    TOO_LONG,
    /** A lone UTF-16 surrogate, which UTF-8 cannot encode without altering the text. */
    UNPAIRED_SURROGATE
  }

  private final Reason reason;

  public InvalidPlaintextException(Reason reason, String detail) {
    super(Objects.requireNonNull(reason, "reason") + ": " + detail);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
