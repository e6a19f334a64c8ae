package xchat.relay.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import xchat.protocol.event.CanonicalJson;
import xchat.protocol.event.EventId;
import xchat.protocol.hex.Hex;
import xchat.protocol.keys.PublicKey;

/**
 * Byte layouts of the store's keys. Every index key ends in {@code inverted created_at (8) + id
 * (32)}, so an ascending scan yields newest first and, on a timestamp tie, the lowest id first
 * (NIP-01's order for {@code limit}).
 */
final class Keys {
  static final int ID = 32;
  static final int TIME_ID = 8 + ID;

  private static final byte HEX32 = (byte) 0xFE;
  private static final byte HASHED = (byte) 0xFF;
  private static final int MAX_RAW_TAG_VALUE = 200;

  private Keys() {}

  /** Descending time as ascending bytes: created_at is never negative. */
  static long invert(long createdAt) {
    return Long.MAX_VALUE - createdAt;
  }

  static byte[] timeId(long createdAt, byte[] id) {
    return ByteBuffer.allocate(TIME_ID).putLong(invert(createdAt)).put(id).array();
  }

  static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    byte[] out = new byte[length];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, out, at, part.length);
      at += part.length;
    }
    return out;
  }

  static byte[] kind(int kind) {
    return new byte[] {(byte) (kind >>> 8), (byte) kind};
  }

  static int readKind(byte[] bytes, int offset) {
    return ((bytes[offset] & 0xFF) << 8) | (bytes[offset + 1] & 0xFF);
  }

  static byte[] longBytes(long value) {
    return ByteBuffer.allocate(8).putLong(value).array();
  }

  static long readLong(byte[] bytes, int offset) {
    return ByteBuffer.wrap(bytes, offset, 8).getLong();
  }

  /**
   * The prefix of a {@code by_tag} key: the letter, then the first tag value. Values of 64 lower-
   * case hex (e and p tags) are stored as their 32 bytes; long values as a marker and their
   * SHA-256. Every candidate is re-checked against its filter, so a hash collision costs a read,
   * never a wrong answer.
   */
  static byte[] tagPrefix(char letter, String value) {
    byte[] body;
    if (Hex.isLowerHex(value, 32)) {
      body = concat(new byte[] {HEX32}, Hex.decode(value, 32));
    } else {
      byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
      if (utf8.length <= MAX_RAW_TAG_VALUE) {
        body = concat(new byte[] {(byte) utf8.length}, utf8);
      } else {
        body = concat(new byte[] {HASHED}, CanonicalJson.sha256(utf8));
      }
    }
    return concat(new byte[] {(byte) letter}, body);
  }

  /** {@code kind (2) + pubkey (32) + d identifier}: one slot per NIP-01 address. */
  static byte[] address(int kind, PublicKey pubkey, String identifier) {
    return concat(kind(kind), pubkey.bytes(), identifier.getBytes(StandardCharsets.UTF_8));
  }

  /** Index values: the kind, then the NIP-40 expiry when the event has one. */
  static byte[] indexValue(int kind, long expiresAt) {
    if (expiresAt < 0) {
      return kind(kind);
    }
    return ByteBuffer.allocate(10).put(kind(kind)).putLong(expiresAt).array();
  }

  static long expiryOf(byte[] indexValue) {
    return indexValue.length >= 10 ? readLong(indexValue, 2) : -1;
  }

  static EventId idAt(byte[] key, int offset) {
    return new EventId(Arrays.copyOfRange(key, offset, offset + ID));
  }

  static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length
        && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }
}
