package xchat.protocol.nip77;

import java.util.Arrays;
import java.util.Objects;
import xchat.protocol.hex.Hex;

/**
 * A range boundary: a timestamp and an id prefix of 0 to 32 bytes, implicitly padded with zero
 * bytes (NIP-77 appendix, "Bound"). Upper bounds are exclusive. The timestamp 2^64-1 ({@code -1L})
 * is infinity, above every item.
 */
public record Bound(long timestamp, byte[] idPrefix) implements Comparable<Bound> {
  public static final long INFINITY_TIMESTAMP = -1L;
  private static final byte[] EMPTY = new byte[0];

  /** The lower bound of the first range: timestamp 0, all-zero id. */
  public static final Bound ZERO = new Bound(0, EMPTY);

  /** The upper bound of the last range. */
  public static final Bound INFINITY = new Bound(INFINITY_TIMESTAMP, EMPTY);

  public Bound {
    Objects.requireNonNull(idPrefix, "idPrefix");
    if (idPrefix.length > Item.ID_SIZE) {
      throw new IllegalArgumentException("id prefix longer than 32 bytes: " + idPrefix.length);
    }
    idPrefix = idPrefix.clone();
  }

  public static Bound of(long timestamp) {
    return timestamp == INFINITY_TIMESTAMP ? INFINITY : new Bound(timestamp, EMPTY);
  }

  /** The bound just at {@code item}: the range it closes ends before the item. */
  public static Bound of(Item item) {
    return new Bound(item.timestamp(), item.id());
  }

  public boolean isInfinite() {
    return timestamp == INFINITY_TIMESTAMP;
  }

  @Override
  public byte[] idPrefix() {
    return idPrefix.clone();
  }

  public int prefixLength() {
    return idPrefix.length;
  }

  /**
   * Compares as points in (timestamp, padded id) space, so bounds differing only in trailing zeros
   * are equal.
   */
  @Override
  public int compareTo(Bound other) {
    int byTime = Long.compareUnsigned(timestamp, other.timestamp);
    if (byTime != 0) {
      return byTime;
    }
    for (int i = 0; i < Item.ID_SIZE; i++) {
      int a = i < idPrefix.length ? idPrefix[i] & 0xff : 0;
      int b = i < other.idPrefix.length ? other.idPrefix[i] & 0xff : 0;
      if (a != b) {
        return a < b ? -1 : 1;
      }
    }
    return 0;
  }

  /** Compares this bound with the item (itemTimestamp, ids[offset..offset+32)). */
  public int compareToItem(long itemTimestamp, byte[] ids, int offset) {
    int byTime = Long.compareUnsigned(timestamp, itemTimestamp);
    if (byTime != 0) {
      return byTime;
    }
    for (int i = 0; i < Item.ID_SIZE; i++) {
      int a = i < idPrefix.length ? idPrefix[i] & 0xff : 0;
      int b = ids[offset + i] & 0xff;
      if (a != b) {
        return a < b ? -1 : 1;
      }
    }
    return 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bound other
        && timestamp == other.timestamp
        && Arrays.equals(idPrefix, other.idPrefix);
  }

  @Override
  public int hashCode() {
    return 31 * Long.hashCode(timestamp) + Arrays.hashCode(idPrefix);
  }

  @Override
  public String toString() {
    String time = isInfinite() ? "infinity" : Long.toUnsignedString(timestamp);
    return "Bound[" + time + ", " + Hex.encode(idPrefix) + "]";
  }
}
