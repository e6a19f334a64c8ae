package xchat.protocol.nip77;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;

/**
 * A deliberately naive restatement of the NIP-77 fingerprint (BigInteger sum, JDK SHA-256), to
 * check the limb arithmetic and prefix sums against.
 */
final class ReferenceModel {
  private static final BigInteger MOD = BigInteger.ONE.shiftLeft(256);

  private ReferenceModel() {}

  static byte[] fingerprint(List<byte[]> ids) {
    BigInteger sum = BigInteger.ZERO;
    for (byte[] id : ids) {
      sum = sum.add(new BigInteger(1, reversed(id))).mod(MOD);
    }
    byte[] bigEndian = sum.toByteArray();
    byte[] littleEndian = new byte[32];
    for (int i = 0; i < 32 && i < bigEndian.length; i++) {
      littleEndian[i] = bigEndian[bigEndian.length - 1 - i];
    }
    ByteArrayOutputStream input = new ByteArrayOutputStream();
    input.writeBytes(littleEndian);
    input.writeBytes(varint(ids.size()));
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(input.toByteArray());
      return Arrays.copyOf(hash, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    }
  }

  static byte[] varint(long value) {
    ByteArrayOutputStream digits = new ByteArrayOutputStream();
    BigInteger v = new BigInteger(Long.toUnsignedString(value));
    do {
      digits.write(v.intValue() & 0x7f);
      v = v.shiftRight(7);
    } while (v.signum() > 0);
    byte[] reversed = reversed(digits.toByteArray());
    for (int i = 0; i < reversed.length - 1; i++) {
      reversed[i] |= (byte) 0x80;
    }
    return reversed;
  }

  private static byte[] reversed(byte[] bytes) {
    byte[] out = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      out[i] = bytes[bytes.length - 1 - i];
    }
    return out;
  }
}
