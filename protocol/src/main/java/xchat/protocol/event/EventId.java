package xchat.protocol.event;

import java.util.Arrays;
import xchat.protocol.hex.Hex;

/** A NIP-01 event id: SHA-256 of the canonical serialisation. */
public record EventId(byte[] bytes) implements Comparable<EventId> {
  public static final int LENGTH = 32;

  public EventId {
    if (bytes == null || bytes.length != LENGTH) {
      throw new IllegalArgumentException("event id must be 32 bytes");
    }
    bytes = bytes.clone();
  }

  public static EventId fromHex(String hex) {
    return new EventId(Hex.decode(hex, LENGTH));
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Read-only access for hot paths that promise not to mutate. */
  byte[] unsafeBytes() {
    return bytes;
  }

  public String hex() {
    return Hex.encode(bytes);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof EventId that && Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public int compareTo(EventId other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public String toString() {
    return hex();
  }
}
