package xchat.persistence.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * Keys derived from the master key with HKDF-SHA256. Global keys seal store-wide records (circle
 * records, device state, the sequence number) and hash the circle prefixes. Each circle's keys
 * also take the circle's random secret as HKDF salt, so erasing that secret makes the circle's
 * data unreadable even to someone who later learns the passphrase.
 */
public final class KeyHierarchy implements AutoCloseable {
  private static final byte[] GLOBAL_DATA = info("xchat/global/data/v1");
  private static final byte[] GLOBAL_INDEX = info("xchat/global/index/v1");
  private static final byte[] CIRCLE_DATA = info("xchat/circle/data/v1");
  private static final byte[] CIRCLE_INDEX = info("xchat/circle/index/v1");
  private static final byte[] CIRCLE_IDS = info("xchat/circle/ids/v1");

  /** A circle's secret length. */
  public static final int CIRCLE_SECRET_LENGTH = 32;

  private final byte[] master;
  private final Aead globalData;
  private final IndexHasher globalIndex;

  /** Copies {@code masterKey}, which the caller may then wipe. */
  public KeyHierarchy(byte[] masterKey) {
    if (masterKey == null || masterKey.length != Aead.KEY_LENGTH) {
      throw new IllegalArgumentException("master key must be 32 bytes");
    }
    this.master = masterKey.clone();
    byte[] data = hkdf(master, null, GLOBAL_DATA);
    byte[] index = hkdf(master, null, GLOBAL_INDEX);
    this.globalData = new Aead(data);
    this.globalIndex = new IndexHasher(index);
    Arrays.fill(data, (byte) 0);
    Arrays.fill(index, (byte) 0);
  }

  public Aead globalData() {
    return globalData;
  }

  public IndexHasher globalIndex() {
    return globalIndex;
  }

  /** Keys of one circle; the caller closes them. */
  public CircleKeys circle(byte[] circleSecret) {
    if (circleSecret == null || circleSecret.length != CIRCLE_SECRET_LENGTH) {
      throw new IllegalArgumentException("circle secret must be 32 bytes");
    }
    byte[] data = hkdf(master, circleSecret, CIRCLE_DATA);
    byte[] index = hkdf(master, circleSecret, CIRCLE_INDEX);
    byte[] ids = hkdf(master, circleSecret, CIRCLE_IDS);
    try {
      return new CircleKeys(new Aead(data), new IndexHasher(index), new IdCipher(ids));
    } finally {
      Arrays.fill(data, (byte) 0);
      Arrays.fill(index, (byte) 0);
      Arrays.fill(ids, (byte) 0);
    }
  }

  /** A store's master key is re-sealed, never re-derived: this hands a copy to KeyWrap. */
  public byte[] masterCopy() {
    return master.clone();
  }

  @Override
  public void close() {
    Arrays.fill(master, (byte) 0);
    globalData.close();
    globalIndex.close();
  }

  private static byte[] hkdf(byte[] ikm, byte[] salt, byte[] info) {
    HKDFBytesGenerator generator = new HKDFBytesGenerator(new SHA256Digest());
    generator.init(new HKDFParameters(ikm, salt, info));
    byte[] out = new byte[32];
    generator.generateBytes(out, 0, out.length);
    return out;
  }

  private static byte[] info(String label) {
    return label.getBytes(StandardCharsets.US_ASCII);
  }

  /** The data key, the index (HMAC) key and the id-encryption key of one circle. */
  public record CircleKeys(Aead data, IndexHasher index, IdCipher ids) implements AutoCloseable {
    @Override
    public void close() {
      data.close();
      index.close();
      ids.close();
    }
  }

  @Override
  public String toString() {
    return "KeyHierarchy[redacted]";
  }
}
