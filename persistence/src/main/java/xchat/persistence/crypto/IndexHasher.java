package xchat.persistence.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;

/**
 * Keyed hashes for index keys: HMAC-SHA256 of {@code domain || input}, truncated to 16 bytes. The
 * domain byte keeps, say, a conversation id and a rumor id with equal bytes from colliding.
 */
public final class IndexHasher implements AutoCloseable {
  public static final int LENGTH = 16;

  private final WipeableKey key;
  // Per thread and per key: Mac.init recomputes the padded key blocks, doFinal keeps them.
  private final ThreadLocal<Mac> macs;

  /** Copies {@code keyBytes}, which the caller may then wipe. */
  public IndexHasher(byte[] keyBytes) {
    if (keyBytes == null || keyBytes.length != 32) {
      throw new IllegalArgumentException("index key must be 32 bytes");
    }
    this.key = new WipeableKey("HmacSHA256", keyBytes.clone());
    this.macs = ThreadLocal.withInitial(this::newMac);
  }

  public byte[] hash(byte domain, byte[] input) {
    byte[] out = new byte[LENGTH];
    hashInto(domain, input, out, 0);
    return out;
  }

  /** Writes the 16-byte hash at {@code offset} of {@code out}. */
  public void hashInto(byte domain, byte[] input, byte[] out, int offset) {
    if (key.isDestroyed()) {
      throw new IllegalStateException("index key has been wiped");
    }
    Mac mac = macs.get();
    mac.update(domain);
    mac.update(input);
    byte[] full = mac.doFinal();
    System.arraycopy(full, 0, out, offset, LENGTH);
  }

  @Override
  public void close() {
    key.destroy();
    macs.remove();
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  @Override
  public String toString() {
    return "IndexHasher[HMAC-SHA256/128]";
  }
}
