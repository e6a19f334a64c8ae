package xchat.protocol.nip44;

import java.util.Arrays;

/**
 * Per-message keys: {@code HKDF-expand(PRK=conversation_key, info=nonce, L=76)} sliced into
 * chacha_key (0..32), chacha_nonce (32..44) and hmac_key (44..76). Short-lived and wiped after use.
 */
final class MessageKeys {
  static final int CHACHA_KEY_BYTES = 32;
  static final int CHACHA_NONCE_BYTES = 12;
  static final int HMAC_KEY_BYTES = 32;
  private static final int LENGTH = CHACHA_KEY_BYTES + CHACHA_NONCE_BYTES + HMAC_KEY_BYTES;

  private final byte[] okm;

  private MessageKeys(byte[] okm) {
    this.okm = okm;
  }

  static MessageKeys derive(ConversationKey conversationKey, byte[] nonce) {
    if (nonce.length != Nip44.NONCE_BYTES) {
      throw new IllegalArgumentException(
          "nonce must be " + Nip44.NONCE_BYTES + " bytes, got " + nonce.length);
    }
    byte[] prk = conversationKey.bytes();
    try {
      return new MessageKeys(HmacSha256.expand(prk, nonce, LENGTH));
    } finally {
      Arrays.fill(prk, (byte) 0);
    }
  }

  byte[] chachaKey() {
    return Arrays.copyOfRange(okm, 0, CHACHA_KEY_BYTES);
  }

  byte[] chachaNonce() {
    return Arrays.copyOfRange(okm, CHACHA_KEY_BYTES, CHACHA_KEY_BYTES + CHACHA_NONCE_BYTES);
  }

  byte[] hmacKey() {
    return Arrays.copyOfRange(okm, CHACHA_KEY_BYTES + CHACHA_NONCE_BYTES, LENGTH);
  }

  /** The backing array, for callers that slice it without copying (offsets as above). */
  byte[] okm() {
    return okm;
  }

  void wipe() {
    Arrays.fill(okm, (byte) 0);
  }
}
