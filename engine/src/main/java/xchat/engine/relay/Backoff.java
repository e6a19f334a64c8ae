package xchat.engine.relay;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter: attempt {@code n} waits a uniform random time in
 * {@code [0, min(cap, base * 2^n)]}. Full jitter spreads the reconnects of many clients after a
 * relay restart, instead of having them arrive in waves.
 */
public record Backoff(Duration base, Duration cap) {

  public Backoff {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(cap, "cap");
    if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("need 0 < base <= cap");
    }
  }

  /** The upper bound of the delay before attempt {@code attempt} (0-based). */
  public Duration ceiling(int attempt) {
    if (attempt < 0) {
      throw new IllegalArgumentException("attempt must not be negative");
    }
    long baseNanos = base.toNanos();
    long capNanos = cap.toNanos();
    int shift = Math.min(attempt, 62);
    // Overflow-safe doubling: once base * 2^n passes the cap, the cap applies.
    if (shift >= Long.numberOfLeadingZeros(baseNanos) - 1 || (baseNanos << shift) > capNanos) {
      return cap;
    }
    return Duration.ofNanos(baseNanos << shift);
  }

  public Duration delay(int attempt, RandomGenerator random) {
    long ceiling = ceiling(attempt).toNanos();
    return Duration.ofNanos(random.nextLong(ceiling + 1));
  }
}
