package xchat.protocol.nip44;

import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 and RFC 5869 HKDF on the JDK's {@code Mac}, cached per thread.
 *
 * <p>Why not Bouncy Castle here: the JDK's SHA-256 uses the CPU's SHA extensions, measured 8x
 * faster than BC's pure-Java digest on 1 KB (1.2 µs against 9.8 µs), and HMAC dominates NIP-44 cost
 * otherwise. HKDF is only a few HMAC calls; the published vectors pin the result.
 */
final class HmacSha256 {
  static final int LENGTH = 32;
  private static final String ALGORITHM = "HmacSHA256";
  private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(HmacSha256::newMac);

  private HmacSha256() {}

  /** A thread-confined Mac keyed with {@code key[offset, offset+length)}; use before returning. */
  static Mac keyed(byte[] key, int offset, int length) {
    Mac mac = MAC.get();
    try {
      mac.init(new SecretKeySpec(key, offset, length, ALGORITHM));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 refused a " + length + "-byte key", e);
    }
    return mac;
  }

  /** HKDF-extract: {@code HMAC(key=salt, ikm)}. */
  static byte[] extract(byte[] salt, byte[] ikm) {
    return keyed(salt, 0, salt.length).doFinal(ikm);
  }

  /** HKDF-expand: {@code T(i) = HMAC(prk, T(i-1) || info || i)}, concatenated to {@code length}. */
  static byte[] expand(byte[] prk, byte[] info, int length) {
    if (length > 255 * LENGTH) {
      throw new IllegalArgumentException("HKDF output too long: " + length);
    }
    Mac mac = keyed(prk, 0, prk.length);
    byte[] out = new byte[length];
    byte[] block = new byte[LENGTH];
    try {
      for (int i = 1, written = 0; written < length; i++, written += LENGTH) {
        if (i > 1) {
          mac.update(block);
        }
        mac.update(info);
        mac.update((byte) i);
        mac.doFinal(block, 0);
        System.arraycopy(block, 0, out, written, Math.min(LENGTH, length - written));
      }
    } catch (ShortBufferException e) {
      throw new IllegalStateException("HMAC block buffer is 32 bytes", e);
    } finally {
      Arrays.fill(block, (byte) 0);
    }
    return out;
  }

  private static Mac newMac() {
    try {
      return Mac.getInstance(ALGORITHM);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java 17 runtime provides " + ALGORITHM, e);
    }
  }
}
