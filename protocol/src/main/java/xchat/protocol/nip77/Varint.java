package xchat.protocol.nip77;

/**
 * Unsigned 64-bit varints: base-128 digits, most significant first, high bit on all but the last.
 */
final class Varint {
  static final int MAX_BYTES = 10;

  private Varint() {}

  static int size(long value) {
    int bits = 64 - Long.numberOfLeadingZeros(value);
    return bits == 0 ? 1 : (bits + 6) / 7;
  }

  /** Writes {@code value} at {@code offset} and returns the offset after it. */
  static int encodeInto(byte[] dst, int offset, long value) {
    int n = size(value);
    long v = value;
    for (int i = n - 1; i >= 0; i--) {
      int digit = (int) (v & 0x7f);
      dst[offset + i] = (byte) (i == n - 1 ? digit : digit | 0x80);
      v >>>= 7;
    }
    return offset + n;
  }

  static byte[] encode(long value) {
    byte[] out = new byte[size(value)];
    encodeInto(out, 0, value);
    return out;
  }
}
