package xchat.protocol.hex;

import java.util.Arrays;

/** Lower-case hexadecimal, as NIP-01 requires for ids, keys and signatures. */
public final class Hex {
  private static final char[] DIGITS = "0123456789abcdef".toCharArray();
  private static final byte[] VALUES = new byte[128];

  static {
    Arrays.fill(VALUES, (byte) -1);
    for (int i = 0; i < 16; i++) {
      VALUES[DIGITS[i]] = (byte) i;
    }
  }

  private Hex() {}

  public static String encode(byte[] bytes) {
    char[] out = new char[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      out[2 * i] = DIGITS[(bytes[i] >> 4) & 0xf];
      out[2 * i + 1] = DIGITS[bytes[i] & 0xf];
    }
    return new String(out);
  }

  /** Strict lower-case decoding. */
  public static byte[] decode(CharSequence hex) {
    int length = hex.length();
    if ((length & 1) != 0) {
      throw new HexFormatException("odd hex length " + length);
    }
    byte[] out = new byte[length / 2];
    for (int i = 0; i < out.length; i++) {
      int high = digit(hex.charAt(2 * i), 2 * i);
      int low = digit(hex.charAt(2 * i + 1), 2 * i + 1);
      out[i] = (byte) ((high << 4) | low);
    }
    return out;
  }

  /** Strict decoding of exactly {@code byteLength} bytes. */
  public static byte[] decode(CharSequence hex, int byteLength) {
    if (hex.length() != byteLength * 2) {
      throw new HexFormatException(
          "expected " + byteLength * 2 + " hex characters, got " + hex.length());
    }
    return decode(hex);
  }

  public static boolean isLowerHex(CharSequence hex, int byteLength) {
    if (hex.length() != byteLength * 2) {
      return false;
    }
    for (int i = 0; i < hex.length(); i++) {
      char c = hex.charAt(i);
      if (c >= 128 || VALUES[c] < 0) {
        return false;
      }
    }
    return true;
  }

  private static int digit(char c, int position) {
    if (c >= 128 || VALUES[c] < 0) {
      throw new HexFormatException("not a lower-case hex digit at position " + position);
    }
    return VALUES[c];
  }

  /** Input that is not strict lower-case hex of the expected length. */
  public static final class HexFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public HexFormatException(String message) {
      super(message);
    }
  }
}
