package xchat.protocol.keys;

import java.util.random.RandomGenerator;
import java.util.Arrays;
import javax.security.auth.Destroyable;
import xchat.protocol.crypto.InvalidKeyException;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.hex.Hex;

/**
 * A secp256k1 secret key. It never prints itself, and {@link #destroy()} wipes it. It is a class,
 * not a record, so that no generated accessor or toString can leak it.
 */
public final class SecretKey implements Destroyable {
  public static final int LENGTH = 32;

  private final byte[] bytes;
  private volatile boolean destroyed;

  private SecretKey(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Takes a copy; throws {@link InvalidKeyException} unless the scalar is in [1, n-1]. */
  public static SecretKey of(byte[] bytes, Secp256k1 curve) {
    if (bytes == null || !curve.isValidSecretKey(bytes)) {
      throw new InvalidKeyException("secret key is not a valid secp256k1 scalar");
    }
    return new SecretKey(bytes.clone());
  }

  public static SecretKey fromHex(String hex, Secp256k1 curve) {
    byte[] raw = Hex.decode(hex, LENGTH);
    try {
      return of(raw, curve);
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  public static SecretKey generate(RandomGenerator random, Secp256k1 curve) {
    byte[] candidate = new byte[LENGTH];
    while (true) {
      random.nextBytes(candidate);
      if (curve.isValidSecretKey(candidate)) {
        return new SecretKey(candidate);
      }
    }
  }

  /** A copy of the raw scalar; the caller wipes it. */
  public byte[] bytes() {
    checkAlive();
    return bytes.clone();
  }

  public String hex() {
    checkAlive();
    return Hex.encode(bytes);
  }

  public PublicKey publicKey(Secp256k1 curve) {
    checkAlive();
    return new PublicKey(curve.xOnlyPublicKey(bytes));
  }

  @Override
  public void destroy() {
    Arrays.fill(bytes, (byte) 0);
    destroyed = true;
  }

  @Override
  public boolean isDestroyed() {
    return destroyed;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SecretKey that
        && java.security.MessageDigest.isEqual(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return 0; // never derive a hash from secret material
  }

  @Override
  public String toString() {
    return "SecretKey[redacted]";
  }

  private void checkAlive() {
    if (destroyed) {
      throw new IllegalStateException("secret key has been destroyed");
    }
  }
}
