package xchat.persistence;

import java.util.Arrays;

/**
 * Key layouts. Per-circle keys are {@code prefix(16) || ...}; hashes are 16-byte HMACs; times are
 * 8-byte big-endian so that byte order is numeric order for the non-negative NIP-01 timestamps.
 */
final class Keys {
  static final int PREFIX = 16;
  static final int HASH = 16;
  /** The value of the key-only families (conversations, negentropy). */
  static final byte[] EMPTY = new byte[0];

  static final byte DOMAIN_CIRCLE = 'k';
  static final byte DOMAIN_RUMOR = 'R';
  static final byte DOMAIN_EVENT = 'E';
  static final byte DOMAIN_CONVERSATION = 'C';
  static final byte DOMAIN_RELAY = 'U';
  static final byte DOMAIN_DEVICE_STATE = 'D';
  static final byte DOMAIN_DERIVED_KEY = 'K';

  static final byte[] META_KEYRING = {'k', 'e', 'y', 'r', 'i', 'n', 'g'};
  static final byte[] META_SEQUENCE = {'s', 'e', 'q'};
  static final byte[] META_LAYOUT = {'l', 'a', 'y', 'o', 'u', 't'};
  static final byte META_CIRCLE = 'c';

  private Keys() {}

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  static byte[] withLong(byte[] prefix, long value) {
    byte[] out = Arrays.copyOf(prefix, prefix.length + 8);
    putLong(out, prefix.length, value);
    return out;
  }

  static byte[] withLongAndHash(byte[] prefix, long value, byte[] hash) {
    byte[] out = Arrays.copyOf(prefix, prefix.length + 8 + hash.length);
    putLong(out, prefix.length, value);
    System.arraycopy(hash, 0, out, prefix.length + 8, hash.length);
    return out;
  }

  static void putLong(byte[] out, int offset, long value) {
    for (int i = 7; i >= 0; i--) {
      out[offset + i] = (byte) value;
      value >>>= 8;
    }
  }

  static long longAt(byte[] key, int offset) {
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value = (value << 8) | (key[offset + i] & 0xff);
    }
    return value;
  }

  /** The least key greater than every key that starts with {@code prefix}, or null if none. */
  static byte[] successor(byte[] prefix) {
    byte[] out = prefix.clone();
    for (int i = out.length - 1; i >= 0; i--) {
      if (out[i] != (byte) 0xff) {
        out[i]++;
        return Arrays.copyOf(out, i + 1);
      }
    }
    return null;
  }

  /** Exclusive upper bound of every key starting with {@code prefix}. */
  static byte[] rangeEnd(byte[] prefix) {
    byte[] successor = successor(prefix);
    if (successor != null) {
      return successor;
    }
    // All 0xff (2^-128 for an HMAC prefix): no key here is longer than 64 bytes past a prefix.
    byte[] out = Arrays.copyOf(prefix, prefix.length + 64);
    Arrays.fill(out, prefix.length, out.length, (byte) 0xff);
    return out;
  }

  static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length
        && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  static byte[] metaCircleKey(byte[] prefix) {
    byte[] out = new byte[1 + prefix.length];
    out[0] = META_CIRCLE;
    System.arraycopy(prefix, 0, out, 1, prefix.length);
    return out;
  }
}
