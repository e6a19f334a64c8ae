package xchat.simulator.world;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.random.RandomGenerator;

/**
 * The world's one source of randomness: a SHA-256 counter-mode generator keyed by the seed. Every
 * random choice draws from it (ephemeral keys, signature nonces, wrap timestamp jitter, device ids,
 * AUTH challenges, backoff jitter, latencies, faults, the workload), in the order the single
 * simulation thread asks, so one seed gives one run. It is not meant to protect anything.
 */
public final class Drbg implements RandomGenerator {
  private final MessageDigest sha;
  private final byte[] key;
  private final byte[] block = new byte[32];
  private long counter;
  private int used = block.length;
  private long draws;

  public Drbg(long seed) {
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    key = sha.digest(("xchat-simulator:" + seed).getBytes(StandardCharsets.UTF_8));
  }

  private void refill() {
    sha.update(key);
    sha.update(ByteBuffer.allocate(8).putLong(counter++).array());
    byte[] next = sha.digest();
    System.arraycopy(next, 0, block, 0, block.length);
    used = 0;
  }

  @Override
  public synchronized void nextBytes(byte[] bytes) {
    draws++;
    for (int i = 0; i < bytes.length; i++) {
      if (used == block.length) {
        refill();
      }
      bytes[i] = block[used++];
    }
  }

  @Override
  public synchronized long nextLong() {
    draws++;
    long value = 0;
    for (int i = 0; i < 8; i++) {
      if (used == block.length) {
        refill();
      }
      value = (value << 8) | (block[used++] & 0xff);
    }
    return value;
  }

  /** Draws so far: part of the trace, so a divergence shows where randomness was consumed. */
  public synchronized long draws() {
    return draws;
  }

  /** True with probability {@code p}. */
  public boolean chance(double p) {
    return p > 0 && (p >= 1 || nextDouble() < p);
  }

  /** A {@link SecureRandom} view for APIs that insist on one (the relay's AUTH challenges). */
  public SecureRandom asSecureRandom() {
    Drbg self = this;
    return new SecureRandom() {
      private static final long serialVersionUID = 1L;

      @Override
      public void nextBytes(byte[] bytes) {
        self.nextBytes(bytes);
      }

      @Override
      public long nextLong() {
        return self.nextLong();
      }

      @Override
      public int nextInt() {
        return (int) (self.nextLong() >>> 32);
      }

      @Override
      public byte[] generateSeed(int numBytes) {
        byte[] out = new byte[numBytes];
        self.nextBytes(out);
        return out;
      }
    };
  }
}
