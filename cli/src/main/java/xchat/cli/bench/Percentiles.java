package xchat.cli.bench;

import java.util.Arrays;

/** Nearest-rank percentiles over latencies in nanoseconds. */
public final class Percentiles {
  private final long[] sorted;

  public Percentiles(long[] nanos) {
    if (nanos.length == 0) {
      throw new IllegalArgumentException("no samples");
    }
    this.sorted = nanos.clone();
    Arrays.sort(sorted);
  }

  /** The {@code p}th percentile (0 < p <= 100), in milliseconds. */
  public double millis(double p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
  }

  public double maxMillis() {
    return sorted[sorted.length - 1] / 1e6;
  }

  public int count() {
    return sorted.length;
  }
}
