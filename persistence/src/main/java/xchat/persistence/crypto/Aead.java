package xchat.persistence.crypto;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM with a random 96-bit nonce per value. A sealed value is {@code format(1) || nonce(12)
 * || ciphertext || tag(16)}. The associated data is given in two parts (a context, then a key) so
 * callers can bind a value to its column family and its key without concatenating.
 */
public final class Aead implements AutoCloseable {
  public static final int KEY_LENGTH = 32;
  public static final int NONCE_LENGTH = 12;
  public static final int TAG_LENGTH = 16;
  public static final byte FORMAT_AES256_GCM = 1;
  public static final int OVERHEAD = 1 + NONCE_LENGTH + TAG_LENGTH;

  // One cipher per thread for every key: Cipher.getInstance costs microseconds, and sharing it
  // across keys means a closed store leaves no cipher behind that still holds its key schedule.
  private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(Aead::newCipher);
  // The associated data handed to the cipher in one piece: each updateAAD call costs a buffer
  // append inside the JCE, and the bytes authenticated are the same (GCM's AAD is one stream).
  private static final ThreadLocal<AadBuffer> AAD = ThreadLocal.withInitial(AadBuffer::new);

  private final WipeableKey key;

  /** Copies {@code keyBytes}, which the caller may then wipe. */
  public Aead(byte[] keyBytes) {
    if (keyBytes == null || keyBytes.length != KEY_LENGTH) {
      throw new IllegalArgumentException("AES-256 key must be 32 bytes");
    }
    this.key = new WipeableKey("AES", keyBytes.clone());
  }

  public byte[] seal(byte[] plaintext, byte[] context, byte[] key) {
    return seal(plaintext, 0, plaintext.length, context, key);
  }

  public byte[] seal(byte[] plaintext, int offset, int length, byte[] context, byte[] keyBytes) {
    byte[] out = new byte[OVERHEAD + length];
    out[0] = FORMAT_AES256_GCM;
    Nonces.next(out, 1);
    Cipher cipher = CIPHERS.get();
    try {
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, out, 1, NONCE_LENGTH));
      AAD.get().update(cipher, context, keyBytes);
      cipher.doFinal(plaintext, offset, length, out, 1 + NONCE_LENGTH);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
    return out;
  }

  /** Returns the plaintext, or throws when the tag does not verify for this context and key. */
  public byte[] open(byte[] sealed, byte[] context, byte[] keyBytes) throws TagMismatchException {
    if (sealed == null || sealed.length < OVERHEAD) {
      throw new TagMismatchException("sealed value is shorter than the AEAD overhead");
    }
    if (sealed[0] != FORMAT_AES256_GCM) {
      throw new TagMismatchException("unknown sealed-value format " + sealed[0]);
    }
    Cipher cipher = CIPHERS.get();
    try {
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, sealed, 1, NONCE_LENGTH));
      AAD.get().update(cipher, context, keyBytes);
      return cipher.doFinal(sealed, 1 + NONCE_LENGTH, sealed.length - 1 - NONCE_LENGTH);
    } catch (AEADBadTagException e) {
      throw new TagMismatchException("authentication tag mismatch");
    } catch (InvalidKeyException e) {
      throw new IllegalStateException("AES key rejected (wiped?)", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM decryption failed", e);
    }
  }

  @Override
  public void close() {
    key.destroy();
  }

  public boolean isClosed() {
    return key.isDestroyed();
  }

  private static Cipher newCipher() {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no AES/GCM/NoPadding", e);
    }
  }

  private static final class AadBuffer {
    private byte[] bytes = new byte[256];

    void update(Cipher cipher, byte[] context, byte[] keyBytes) {
      int length = context.length + keyBytes.length;
      if (length > bytes.length) {
        bytes = new byte[Math.max(length, 2 * bytes.length)];
      }
      System.arraycopy(context, 0, bytes, 0, context.length);
      System.arraycopy(keyBytes, 0, bytes, context.length, keyBytes.length);
      cipher.updateAAD(bytes, 0, length);
    }
  }

  static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    byte[] out = new byte[length];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, out, at, part.length);
      at += part.length;
    }
    return out;
  }

  @Override
  public String toString() {
    return "Aead[AES-256-GCM]";
  }

  static void wipe(byte[]... arrays) {
    for (byte[] array : arrays) {
      if (array != null) {
        Arrays.fill(array, (byte) 0);
      }
    }
  }
}
