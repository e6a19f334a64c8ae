package xchat.protocol.nip49;

import java.util.Objects;

/** An {@code ncryptsec} that could not be decrypted. Never carries key or password bytes. */
public final class Nip49Exception extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why decryption failed. */
  public enum Reason {
    /** Not valid bech32 (bad checksum, characters, case, padding); the cause says which. */
    INVALID_ENCODING,
    /** Valid bech32 under a prefix other than {@code ncryptsec}. */
    WRONG_PREFIX,
    /** The decoded payload is not 91 bytes. */
    INVALID_LENGTH,
    /** A version byte other than 0x02. */
    UNKNOWN_VERSION,
    /** A key security byte other than 0x00, 0x01 or 0x02. */
    UNKNOWN_KEY_SECURITY,
    /** log_n is 0 or above the caller's limit, so scrypt would not run or would exhaust memory. */
    UNSUPPORTED_LOG_N,
    /**
     * The Poly1305 tag does not verify: the password is wrong, or the payload was altered after its
     * checksum was recomputed. The two cannot be told apart.
     */
    WRONG_PASSWORD
  }

  private final Reason reason;

  public Nip49Exception(Reason reason, String detail) {
    this(reason, detail, null);
  }

  public Nip49Exception(Reason reason, String detail, Throwable cause) {
    super(Objects.requireNonNull(reason, "reason") + ": " + detail, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
