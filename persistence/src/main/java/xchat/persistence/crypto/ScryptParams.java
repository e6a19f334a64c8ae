package xchat.persistence.crypto;

/**
 * scrypt cost parameters: N = 2^log2N, block size r, parallelism p. Memory is 128·r·N bytes.
 * Stored in clear next to the wrapped master key so they can be raised later.
 */
public record ScryptParams(int log2N, int r, int p) {
  /** About 64 MiB and a few hundred milliseconds on a laptop: the cost of unlocking once. */
  public static final ScryptParams INTERACTIVE = new ScryptParams(16, 8, 1);

  /** Cheap parameters for tests only. */
  public static final ScryptParams TEST_ONLY = new ScryptParams(10, 8, 1);

  /** A stored keyring asking for more than this is refused rather than allowed to exhaust memory. */
  public static final long MAX_MEMORY_BYTES = 1L << 30;

  public ScryptParams {
    if (log2N < 1 || log2N > 24) {
      throw new IllegalArgumentException("scrypt log2N must be in 1..24, got " + log2N);
    }
    if (r < 1 || r > 64) {
      throw new IllegalArgumentException("scrypt r must be in 1..64, got " + r);
    }
    if (p < 1 || p > 16) {
      throw new IllegalArgumentException("scrypt p must be in 1..16, got " + p);
    }
    if (128L * r * (1L << log2N) > MAX_MEMORY_BYTES) {
      throw new IllegalArgumentException("scrypt parameters need more than 1 GiB of memory");
    }
  }

  public int n() {
    return 1 << log2N;
  }
}
