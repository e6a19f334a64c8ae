package xchat.protocol.nip44;

import java.util.Objects;

/**
 * A NIP-44 payload that could not be decrypted. The message never contains key or plaintext bytes.
 */
public final class Nip44Exception extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why decryption refused the payload, in the order NIP-44 checks them. */
  public enum Reason {
    /** Starts with {@code #} (a future non-base64 encoding), or a version byte other than 2. */
    UNKNOWN_VERSION,
    /** The payload or its decoded bytes are shorter or longer than any valid v2 payload. */
    INVALID_LENGTH,
    /** Not RFC 4648 base64. */
    INVALID_BASE64,
    /** The HMAC does not match: wrong key or tampered payload. */
    INVALID_MAC,
    /** Authentic, but the length prefix or padding is inconsistent. */
    INVALID_PADDING,
    /** Authentic and well padded, but the plaintext is not valid UTF-8. */
    INVALID_UTF8
  }

  private final Reason reason;

  public Nip44Exception(Reason reason, String detail) {
    super(Objects.requireNonNull(reason, "reason") + ": " + detail);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
