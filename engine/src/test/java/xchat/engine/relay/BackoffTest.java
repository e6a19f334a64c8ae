package xchat.engine.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30));

  @Test
  void ceilingDoublesUntilTheCap() {
    assertEquals(Duration.ofMillis(100), backoff.ceiling(0));
    assertEquals(Duration.ofMillis(200), backoff.ceiling(1));
    assertEquals(Duration.ofMillis(25_600), backoff.ceiling(8));
    assertEquals(Duration.ofSeconds(30), backoff.ceiling(9));
    assertEquals(Duration.ofSeconds(30), backoff.ceiling(62));
    assertEquals(Duration.ofSeconds(30), backoff.ceiling(Integer.MAX_VALUE), "no overflow");
  }

  @Test
  void delaysAreFullyJitteredWithinTheCeiling() {
    long seed = 7;
    SplittableRandom random = new SplittableRandom(seed);
    for (int attempt = 0; attempt < 20; attempt++) {
      long ceiling = backoff.ceiling(attempt).toNanos();
      long min = Long.MAX_VALUE;
      long max = 0;
      for (int i = 0; i < 2000; i++) {
        long d = backoff.delay(attempt, random).toNanos();
        assertTrue(d >= 0 && d <= ceiling, "seed " + seed);
        min = Math.min(min, d);
        max = Math.max(max, d);
      }
      // Uniform over [0, ceiling]: both ends are reached closely.
      assertTrue(min < ceiling / 50, "seed " + seed + " attempt " + attempt);
      assertTrue(max > ceiling - ceiling / 50, "seed " + seed + " attempt " + attempt);
    }
  }

  @Test
  void sameSeedGivesSameDelays() {
    SplittableRandom a = new SplittableRandom(42);
    SplittableRandom b = new SplittableRandom(42);
    for (int i = 0; i < 10; i++) {
      assertEquals(backoff.delay(i, a), backoff.delay(i, b));
    }
  }

  @Test
  void refusesACapBelowTheBase() {
    assertThrows(IllegalArgumentException.class,
        () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)));
  }
}
