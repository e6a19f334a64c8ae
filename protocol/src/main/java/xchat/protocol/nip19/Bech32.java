package xchat.protocol.nip19;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * BIP-173 bech32 (not bech32m), without BIP-173's 90-character limit: NIP-19 TLV strings are often
 * longer. NIP-19 suggests 5000 characters as the bound, which both directions enforce.
 */
public final class Bech32 {
  public static final int MAX_LENGTH = 5000;
  private static final String ALPHABET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
  private static final byte[] VALUES = new byte[128];
  private static final int CHECKSUM_LENGTH = 6;
  private static final int BECH32_CONSTANT = 1;

  static {
    Arrays.fill(VALUES, (byte) -1);
    for (int i = 0; i < ALPHABET.length(); i++) {
      VALUES[ALPHABET.charAt(i)] = (byte) i;
    }
  }

  private Bech32() {}

  /** The human-readable part and the 8-bit data of a decoded string. */
  public record Decoded(String hrp, byte[] data) {
    public Decoded {
      Objects.requireNonNull(hrp, "hrp");
      data = Objects.requireNonNull(data, "data").clone();
    }

    @Override
    public byte[] data() {
      return data.clone();
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof Decoded that
          && hrp.equals(that.hrp)
          && Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
      return 31 * hrp.hashCode() + Arrays.hashCode(data);
    }

    /** Only the prefix and size: the data may be a secret key. */
    @Override
    public String toString() {
      return "Decoded[hrp=" + hrp + ", " + data.length + " bytes]";
    }
  }

  /**
   * Encodes 8-bit {@code data} under a lower-case {@code hrp}.
   *
   * @throws IllegalArgumentException if the prefix is not lower-case printable ASCII or the result
   *     would exceed {@link #MAX_LENGTH}
   */
  public static String encode(String hrp, byte[] data) {
    Objects.requireNonNull(hrp, "hrp");
    Objects.requireNonNull(data, "data");
    if (hrp.isEmpty()) {
      throw new IllegalArgumentException("empty bech32 prefix");
    }
    for (int i = 0; i < hrp.length(); i++) {
      char c = hrp.charAt(i);
      if (c < 33 || c > 126 || (c >= 'A' && c <= 'Z')) {
        throw new IllegalArgumentException("bech32 prefix must be lower-case printable ASCII");
      }
    }
    int length = hrp.length() + 1 + (data.length * 8 + 4) / 5 + CHECKSUM_LENGTH;
    if (length > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "bech32 string would be " + length + " characters, limit " + MAX_LENGTH);
    }
    byte[] values = toFiveBit(data);
    byte[] checksum = checksum(hrp, values);
    StringBuilder out = new StringBuilder(length);
    out.append(hrp).append('1');
    for (byte value : values) {
      out.append(ALPHABET.charAt(value));
    }
    for (byte value : checksum) {
      out.append(ALPHABET.charAt(value));
    }
    return out.toString();
  }

  /** Decodes and verifies a bech32 string; the prefix comes back lower-case. */
  public static Decoded decode(String bech32) throws Nip19Exception {
    Objects.requireNonNull(bech32, "bech32");
    int length = bech32.length();
    if (length > MAX_LENGTH) {
      throw new Nip19Exception(
          Nip19Exception.Reason.TOO_LONG, length + " characters, limit " + MAX_LENGTH);
    }
    boolean lower = false;
    boolean upper = false;
    for (int i = 0; i < length; i++) {
      char c = bech32.charAt(i);
      if (c < 33 || c > 126) {
        throw new Nip19Exception(
            Nip19Exception.Reason.INVALID_CHARACTER, "non-printable character at " + i);
      }
      lower |= c >= 'a' && c <= 'z';
      upper |= c >= 'A' && c <= 'Z';
    }
    if (lower && upper) {
      throw new Nip19Exception(Nip19Exception.Reason.MIXED_CASE, "mixed upper and lower case");
    }
    String text = upper ? bech32.toLowerCase(Locale.ROOT) : bech32;
    int separator = text.lastIndexOf('1');
    if (separator < 1 || separator + 1 + CHECKSUM_LENGTH > length) {
      throw new Nip19Exception(Nip19Exception.Reason.MALFORMED, "no prefix, separator or checksum");
    }
    String hrp = text.substring(0, separator);
    byte[] values = new byte[length - separator - 1];
    for (int i = 0; i < values.length; i++) {
      char c = text.charAt(separator + 1 + i);
      byte value = VALUES[c];
      if (value < 0) {
        throw new Nip19Exception(
            Nip19Exception.Reason.INVALID_CHARACTER,
            "'" + c + "' is not in the bech32 alphabet (at " + (separator + 1 + i) + ")");
      }
      values[i] = value;
    }
    if (polymod(hrp, values, values.length) != BECH32_CONSTANT) {
      throw new Nip19Exception(Nip19Exception.Reason.INVALID_CHECKSUM, "checksum mismatch");
    }
    return new Decoded(hrp, toEightBit(values, values.length - CHECKSUM_LENGTH));
  }

  private static byte[] checksum(String hrp, byte[] values) {
    byte[] padded = Arrays.copyOf(values, values.length + CHECKSUM_LENGTH);
    int mod = polymod(hrp, padded, padded.length) ^ BECH32_CONSTANT;
    byte[] checksum = new byte[CHECKSUM_LENGTH];
    for (int i = 0; i < CHECKSUM_LENGTH; i++) {
      checksum[i] = (byte) ((mod >>> (5 * (5 - i))) & 31);
    }
    return checksum;
  }

  /** BIP-173 checksum over the expanded prefix and the 5-bit values. */
  private static int polymod(String hrp, byte[] values, int count) {
    int chk = 1;
    for (int i = 0; i < hrp.length(); i++) {
      chk = step(chk) ^ (hrp.charAt(i) >>> 5);
    }
    chk = step(chk);
    for (int i = 0; i < hrp.length(); i++) {
      chk = step(chk) ^ (hrp.charAt(i) & 31);
    }
    for (int i = 0; i < count; i++) {
      chk = step(chk) ^ values[i];
    }
    return chk;
  }

  private static int step(int chk) {
    int top = chk >>> 25;
    chk = (chk & 0x1ffffff) << 5;
    if ((top & 1) != 0) chk ^= 0x3b6a57b2;
    if ((top & 2) != 0) chk ^= 0x26508e6d;
    if ((top & 4) != 0) chk ^= 0x1ea119fa;
    if ((top & 8) != 0) chk ^= 0x3d4233dd;
    if ((top & 16) != 0) chk ^= 0x2a1462b3;
    return chk;
  }

  private static byte[] toFiveBit(byte[] data) {
    byte[] out = new byte[(data.length * 8 + 4) / 5];
    int accumulator = 0;
    int bits = 0;
    int index = 0;
    for (byte b : data) {
      accumulator = (accumulator << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        bits -= 5;
        out[index++] = (byte) ((accumulator >>> bits) & 31);
      }
    }
    if (bits > 0) {
      out[index] = (byte) ((accumulator << (5 - bits)) & 31);
    }
    return out;
  }

  private static byte[] toEightBit(byte[] values, int count) throws Nip19Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream(count * 5 / 8);
    int accumulator = 0;
    int bits = 0;
    for (int i = 0; i < count; i++) {
      accumulator = ((accumulator << 5) | values[i]) & 0xfff;
      bits += 5;
      if (bits >= 8) {
        bits -= 8;
        out.write((accumulator >>> bits) & 0xff);
      }
    }
    // BIP-173: at most four padding bits, all zero.
    if (bits >= 5 || (accumulator & ((1 << bits) - 1)) != 0) {
      throw new Nip19Exception(Nip19Exception.Reason.INVALID_PADDING, "non-zero or excess padding");
    }
    return out.toByteArray();
  }
}
