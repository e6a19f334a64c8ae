package xchat.protocol.nip77;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** 256-bit arithmetic mod 2^256 on four little-endian 64-bit limbs, for fingerprint sums. */
final class Limbs {
  private static final VarHandle LE_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private Limbs() {}

  static long getLittleEndian(byte[] bytes, int offset) {
    return (long) LE_LONG.get(bytes, offset);
  }

  static void putLittleEndian(byte[] bytes, int offset, long value) {
    LE_LONG.set(bytes, offset, value);
  }

  /** dst[d..d+4) = a[ai..ai+4) + the 32-byte little-endian integer at id[io..io+32), mod 2^256. */
  static void addId(long[] dst, int d, long[] a, int ai, byte[] id, int io) {
    long carry = 0;
    for (int i = 0; i < 4; i++) {
      long x = a[ai + i];
      long y = getLittleEndian(id, io + 8 * i);
      long sum = x + y;
      long carryOut = Long.compareUnsigned(sum, x) < 0 ? 1 : 0;
      long withCarry = sum + carry;
      if (carry != 0 && withCarry == 0) {
        carryOut = 1;
      }
      dst[d + i] = withCarry;
      carry = carryOut;
    }
  }

  /** dst[0..4) = a[ai..ai+4) - b[bi..bi+4), mod 2^256. */
  static void subtract(long[] dst, long[] a, int ai, long[] b, int bi) {
    long borrow = 0;
    for (int i = 0; i < 4; i++) {
      long x = a[ai + i];
      long y = b[bi + i];
      long diff = x - y;
      long borrowOut = Long.compareUnsigned(x, y) < 0 ? 1 : 0;
      long withBorrow = diff - borrow;
      if (borrow != 0 && diff == 0) {
        borrowOut = 1;
      }
      dst[i] = withBorrow;
      borrow = borrowOut;
    }
  }
}
