package xchat.persistence.crypto;

import java.security.SecureRandom;

/**
 * Random 96-bit GCM nonces. Each thread draws {@link #BUFFER} bytes at a time from its own
 * {@link SecureRandom}: one draw per nonce cost about 1 µs, more than sealing a small value.
 */
final class Nonces {
  private static final int BUFFER = Aead.NONCE_LENGTH * 128;
  private static final ThreadLocal<Nonces> LOCAL = ThreadLocal.withInitial(Nonces::new);

  private final SecureRandom random = new SecureRandom();
  private final byte[] pool = new byte[BUFFER];
  private int position = BUFFER;

  static void next(byte[] out, int offset) {
    LOCAL.get().fill(out, offset);
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
