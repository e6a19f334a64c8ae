package xchat.protocol.nip77;

import java.util.Arrays;
import java.util.Objects;
import xchat.protocol.hex.Hex;

/**
 * One record to reconcile: a timestamp ({@code created_at}) and a 32-byte id. Items sort by
 * timestamp as an unsigned 64-bit number, then by id bytes, unsigned (NIP-77 appendix,
 * "Preparation").
 */
public record Item(long timestamp, byte[] id) implements Comparable<Item> {
  public static final int ID_SIZE = 32;

  public Item {
    Objects.requireNonNull(id, "id");
    if (id.length != ID_SIZE) {
      throw new IllegalArgumentException("item id must be 32 bytes, got " + id.length);
    }
    if (timestamp == Bound.INFINITY_TIMESTAMP) {
      throw new IllegalArgumentException("timestamp 2^64-1 is reserved for the infinite bound");
    }
    id = id.clone();
  }

  @Override
  public byte[] id() {
    return id.clone();
  }

  @Override
  public int compareTo(Item other) {
    int byTime = Long.compareUnsigned(timestamp, other.timestamp);
    return byTime != 0 ? byTime : Arrays.compareUnsigned(id, other.id);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Item other && timestamp == other.timestamp && Arrays.equals(id, other.id);
  }

  @Override
  public int hashCode() {
    return 31 * Long.hashCode(timestamp) + Arrays.hashCode(id);
  }

  @Override
  public String toString() {
    return "Item[" + Long.toUnsignedString(timestamp) + ", " + Hex.encode(id) + "]";
  }
}
