package xchat.protocol.nip19;

import java.util.Objects;

/** A string that is not a valid NIP-19 (or BIP-173 bech32) encoding. Never echoes key bytes. */
public final class Nip19Exception extends Exception {
  private static final long serialVersionUID = 1L;

  /** What was wrong, roughly in the order the checks run. */
  public enum Reason {
    /** Longer than {@link Bech32#MAX_LENGTH} characters. */
    TOO_LONG,
    /** A character outside printable US-ASCII, or a data character outside the bech32 alphabet. */
    INVALID_CHARACTER,
    /** Upper and lower case mixed (BIP-173 forbids it). */
    MIXED_CASE,
    /** No {@code 1} separator, an empty prefix, or fewer than six checksum characters. */
    MALFORMED,
    /** The bech32 checksum does not verify (bech32m checksums are refused too). */
    INVALID_CHECKSUM,
    /** More than four bits of padding, or padding bits that are not zero. */
    INVALID_PADDING,
    /** A prefix NIP-19 does not define (or a deprecated one, such as {@code nrelay}). */
    UNKNOWN_PREFIX,
    /** A valid entity, but not the kind the caller asked for. */
    WRONG_PREFIX,
    /** A bare key or id that is not 32 bytes. */
    INVALID_LENGTH,
    /** A TLV record that runs past the end of the data. */
    MALFORMED_TLV,
    /**
     * A known TLV with a value of the wrong size or encoding, or repeated when it must be single.
     */
    INVALID_TLV,
    /** A TLV the entity requires is absent. */
    MISSING_TLV
  }

  private final Reason reason;

  public Nip19Exception(Reason reason, String detail) {
    super(Objects.requireNonNull(reason, "reason") + ": " + detail);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
