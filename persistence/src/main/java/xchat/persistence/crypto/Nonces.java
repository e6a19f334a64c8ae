package xchat.persistence.crypto;

import java.security.DrbgParameters;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * Random 96-bit GCM nonces. Each thread draws {@link #BUFFER} bytes at a time from its own
 * SP 800-90A DRBG (Hash_DRBG, seeded by the JDK from the operating system's entropy source): one
 * draw per nonce cost about 1 µs, and the default {@code NativePRNG} about 160 ns per nonce even
 * in bulk (it reads /dev/urandom and XORs a SHA1PRNG stream over it), the DRBG about 50 ns.
 */
final class Nonces {
  static final int BUFFER = Aead.NONCE_LENGTH * 512;
  private static final ThreadLocal<Nonces> LOCAL = ThreadLocal.withInitial(Nonces::new);

  private final SecureRandom random = drbg();
  private final byte[] pool = new byte[BUFFER];
  private int position = BUFFER;

  static void next(byte[] out, int offset) {
    LOCAL.get().fill(out, offset);
  }

  static SecureRandom drbg() {
    try {
      return SecureRandom.getInstance(
          "DRBG", DrbgParameters.instantiation(256, DrbgParameters.Capability.NONE, null));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no 256-bit DRBG", e);
    }
  }

  private void fill(byte[] out, int offset) {
    if (position == BUFFER) {
      random.nextBytes(pool);
      position = 0;
    }
    System.arraycopy(pool, position, out, offset, Aead.NONCE_LENGTH);
    // Wipe what was handed out, so a heap dump does not list the nonces still to come next to
    // the ones already used.
    java.util.Arrays.fill(pool, position, position + Aead.NONCE_LENGTH, (byte) 0);
    position += Aead.NONCE_LENGTH;
  }
}
