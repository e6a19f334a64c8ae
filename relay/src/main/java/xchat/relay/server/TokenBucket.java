package xchat.relay.server;

import java.util.function.LongSupplier;
import xchat.relay.server.RelayLimits.RateLimit;

/** A per-connection token bucket; not thread-safe (one actor owns it). */
final class TokenBucket {
  private final double perMilli;
  private final double burst;
  private final LongSupplier millis;
  private double tokens;
  private long last;

  TokenBucket(RateLimit limit, LongSupplier millis) {
    this.perMilli = limit.perSecond() / 1000.0;
    this.burst = limit.burst();
    this.millis = millis;
    this.tokens = burst;
    this.last = millis.getAsLong();
  }

  boolean tryTake() {
    if (Double.isInfinite(perMilli)) {
      return true;
    }
    long now = millis.getAsLong();
    if (now > last) {
      tokens = Math.min(burst, tokens + (now - last) * perMilli);
      last = now;
    }
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
