package xchat.protocol.nip77;

import java.util.Arrays;

/**
 * A 32-byte id inside a larger array, as a hash key. Comparable, so that a peer sending ids crafted
 * to collide in {@link #hashCode} degrades a HashMap bin to a tree, not a list.
 */
final class IdKey implements Comparable<IdKey> {
  private final byte[] bytes;
  private final int offset;
  private final int hash;

  IdKey(byte[] bytes, int offset) {
    this.bytes = bytes;
    this.offset = offset;
    this.hash = (int) Limbs.getLittleEndian(bytes, offset);
  }

  byte[] copy() {
    return Arrays.copyOfRange(bytes, offset, offset + Item.ID_SIZE);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IdKey other
        && Arrays.equals(
            bytes,
            offset,
            offset + Item.ID_SIZE,
            other.bytes,
            other.offset,
            other.offset + Item.ID_SIZE);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public int compareTo(IdKey other) {
    return Arrays.compareUnsigned(
        bytes,
        offset,
        offset + Item.ID_SIZE,
        other.bytes,
        other.offset,
        other.offset + Item.ID_SIZE);
  }
}
