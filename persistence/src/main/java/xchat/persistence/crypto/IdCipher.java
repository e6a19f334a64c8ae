package xchat.persistence.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;

/**
 * A keyed permutation of 32-byte event ids (AES-256 on each 16-byte half), for the index keys that
 * must give the real id back: NIP-77 items, and the rumor ids that order a conversation. Unlike a
 * sealed value it costs no nonce, no tag and no cipher re-initialisation per item, which is what
 * lets a circle's items be iterated at millions per second. Without the key the output reveals
 * nothing of the id; the same id always maps to the same output, as an HMAC would.
 */
public final class IdCipher implements AutoCloseable {
  public static final int LENGTH = 32;

  private final WipeableKey key;
  private final ThreadLocal<Cipher> encrypt;
  private final ThreadLocal<Cipher> decrypt;

  /** Copies {@code keyBytes}, which the caller may then wipe. */
  public IdCipher(byte[] keyBytes) {
    if (keyBytes == null || keyBytes.length != Aead.KEY_LENGTH) {
      throw new IllegalArgumentException("id cipher key must be 32 bytes");
    }
    this.key = new WipeableKey("AES", keyBytes.clone());
    this.encrypt = ThreadLocal.withInitial(() -> newCipher(Cipher.ENCRYPT_MODE));
    this.decrypt = ThreadLocal.withInitial(() -> newCipher(Cipher.DECRYPT_MODE));
  }

  public void encrypt(byte[] id, byte[] out, int offset) {
    run(encrypt.get(), id, 0, out, offset);
  }

  public void decrypt(byte[] in, int offset, byte[] out) {
    run(decrypt.get(), in, offset, out, 0);
  }

  private void run(Cipher cipher, byte[] in, int inOffset, byte[] out, int outOffset) {
    if (key.isDestroyed()) {
      throw new IllegalStateException("id cipher key has been wiped");
    }
    try {
      cipher.doFinal(in, inOffset, LENGTH, out, outOffset);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES block operation failed", e);
    }
  }

  private Cipher newCipher(int mode) {
    try {
      // ECB is right here: the input is one or two uniformly random blocks, never a message.
      Cipher cipher = Cipher.getInstance("AES/ECB/NoPadding");
      cipher.init(mode, key);
      return cipher;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/ECB/NoPadding unavailable", e);
    }
  }

  @Override
  public void close() {
    key.destroy();
    encrypt.remove();
    decrypt.remove();
  }

  @Override
  public String toString() {
    return "IdCipher[AES-256, redacted]";
  }
}
