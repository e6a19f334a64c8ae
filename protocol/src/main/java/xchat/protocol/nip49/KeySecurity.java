package xchat.protocol.nip49;

import java.util.Optional;

/** NIP-49 KEY_SECURITY_BYTE: what the client knows about how the key has been handled. */
public enum KeySecurity {
  /** 0x00: the key is known to have been handled insecurely (stored or pasted unencrypted). */
  KNOWN_INSECURE(0x00),
  /** 0x01: the key is not known to have been handled insecurely. */
  NOT_KNOWN_INSECURE(0x01),
  /** 0x02: the client does not track this. */
  UNTRACKED(0x02);

  private final int code;

  KeySecurity(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static Optional<KeySecurity> ofCode(int code) {
    for (KeySecurity value : values()) {
      if (value.code == code) {
        return Optional.of(value);
      }
    }
    return Optional.empty();
  }
}
