package xchat.protocol.media;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import xchat.protocol.hex.Hex;

/**
 * The AES-256-GCM key and nonce of one file (NIP-17 kind 15 {@code decryption-key} and {@code
 * decryption-nonce}, hex). Each file gets a fresh pair, so a nonce is never reused under a key.
 */
public record MediaKey(byte[] key, byte[] nonce) {
  public static final int KEY_BYTES = 32;

  /** What we generate: GCM's 96-bit IV. */
  public static final int NONCE_BYTES = 12;

  /** Other clients may send a longer nonce; GCM accepts it (SP 800-38D hashes it into J0). */
  public static final int MAX_NONCE_BYTES = 32;

  public MediaKey {
    if (key == null || key.length != KEY_BYTES) {
      throw new IllegalArgumentException("an AES-256 key is 32 bytes");
    }
    if (nonce == null || nonce.length < NONCE_BYTES || nonce.length > MAX_NONCE_BYTES) {
      throw new IllegalArgumentException("the nonce must be 12.." + MAX_NONCE_BYTES + " bytes");
    }
    key = key.clone();
    nonce = nonce.clone();
  }

  public static MediaKey generate(SecureRandom random) {
    byte[] key = new byte[KEY_BYTES];
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(key);
    random.nextBytes(nonce);
    try {
      return new MediaKey(key, nonce);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  /** From the kind-15 tags; throws {@link IllegalArgumentException} for bad hex or lengths. */
  public static MediaKey fromHex(String keyHex, String nonceHex) {
    if (keyHex == null || nonceHex == null) {
      throw new IllegalArgumentException("key and nonce are required");
    }
    byte[] key = Hex.decode(keyHex);
    try {
      return new MediaKey(key, Hex.decode(nonceHex));
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  @Override
  public byte[] key() {
    return key.clone();
  }

  @Override
  public byte[] nonce() {
    return nonce.clone();
  }

  public String keyHex() {
    return Hex.encode(key);
  }

  public String nonceHex() {
    return Hex.encode(nonce);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof MediaKey that
        && MessageDigest.isEqual(key, that.key)
        && Arrays.equals(nonce, that.nonce);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(nonce);
  }

  @Override
  public String toString() {
    return "MediaKey[redacted]";
  }
}
