package xchat.persistence.crypto;

import java.util.Arrays;
import javax.crypto.SecretKey;

/**
 * Raw key bytes that {@link #destroy()} really wipes. {@code SecretKeySpec} keeps a private copy
 * that nothing can clear; this class owns its only copy and hands the JCE short-lived clones.
 */
final class WipeableKey implements SecretKey {
  private static final long serialVersionUID = 1L;

  private final String algorithm;
  private final byte[] bytes;
  private volatile boolean destroyed;

  /** Takes ownership of {@code bytes}; the caller must not keep or reuse the array. */
  WipeableKey(String algorithm, byte[] bytes) {
    this.algorithm = algorithm;
    this.bytes = bytes;
  }

  @Override
  public String getAlgorithm() {
    return algorithm;
  }

  @Override
  public String getFormat() {
    return "RAW";
  }

  @Override
  public byte[] getEncoded() {
    if (destroyed) {
      throw new IllegalStateException("key has been wiped");
    }
    return bytes.clone();
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
  public String toString() {
    return "WipeableKey[" + algorithm + ", redacted]";
  }
}
