package xchat.protocol.nip77;

/**
 * A negentropy message that cannot be accepted. Thrown for hostile or corrupt wire input; a relay
 * maps it to {@code NEG-ERR}. The message names the reason and byte offset, never message content.
 */
public final class NegentropyException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Why a message was refused. */
  public enum Reason {
    /** NIP-77 frames carry the message as lower-case hex; this was not. */
    BAD_HEX,
    /** The input ended inside a field, or a length claims more bytes than remain. */
    TRUNCATED,
    /** The first byte is not a negentropy protocol version (0x60..0x6f). */
    BAD_VERSION,
    /** A negentropy version other than V1 (0x61), which is the only one we speak. */
    UNSUPPORTED_VERSION,
    /** A varint does not fit in 64 unsigned bits. */
    VARINT_OVERFLOW,
    /** A varint has a leading zero digit; the spec requires as few digits as possible. */
    NON_CANONICAL_VARINT,
    /** A delta-encoded timestamp passes 2^64-1 or follows an infinite bound. */
    TIMESTAMP_OVERFLOW,
    /** A range mode other than Skip (0), Fingerprint (1) or IdList (2). */
    BAD_MODE,
    /** A bound's id prefix is longer than 32 bytes. */
    BAD_ID_LENGTH,
    /** A range's upper bound is below the previous one. */
    UNSORTED_BOUNDS
  }

  private final Reason reason;
  private final int offset;

  public NegentropyException(Reason reason, int offset, String detail) {
    super(reason + " at byte " + offset + ": " + detail);
    this.reason = reason;
    this.offset = offset;
  }

  public NegentropyException(Reason reason, int offset, String detail, Throwable cause) {
    this(reason, offset, detail);
    initCause(cause);
  }

  public Reason reason() {
    return reason;
  }

  /** Byte offset in the binary message where the problem was found. */
  public int offset() {
    return offset;
  }
}
