package xchat.protocol.nip77;

import java.util.Objects;

/**
 * Running sum of ids for a fingerprint, for storages that fingerprint a range by scanning it. Not
 * thread-safe.
 */
public final class FingerprintAccumulator {
  private final long[] sum = new long[4];
  private long count;

  /** Adds the 32-byte id at {@code ids[offset..offset+32)}. */
  public void add(byte[] ids, int offset) {
    Objects.checkFromIndexSize(offset, Item.ID_SIZE, ids.length);
    Limbs.addId(sum, 0, sum, 0, ids, offset);
    count++;
  }

  public void add(byte[] id) {
    if (id.length != Item.ID_SIZE) {
      throw new IllegalArgumentException("id must be 32 bytes, got " + id.length);
    }
    add(id, 0);
  }

  public long count() {
    return count;
  }

  public Fingerprint fingerprint() {
    return Fingerprint.of(sum[0], sum[1], sum[2], sum[3], count);
  }
}
