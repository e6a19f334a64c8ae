package xchat.cli.demo;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The system clock, moved forward just enough that each demo message gets its own second.
 *
 * <p>A conversation's one order is the rumor's created_at (in seconds), then its id. People type
 * seconds apart; the demo sends several messages within one second, which would then be ordered
 * by id and read out of turn. Shared by every device of the demo, as one wall clock would be.
 */
final class DemoClock extends Clock {
  private long offsetMillis;
  private long lastMessageSecond;

  @Override
  public synchronized long millis() {
    return System.currentTimeMillis() + offsetMillis;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the demo clock is UTC only");
  }

  /** Call before each message: afterwards the clock reads a later second than for the last one. */
  synchronized void nextMessage() {
    long now = millis();
    long second = Math.floorDiv(now, 1000L);
    if (second <= lastMessageSecond) {
      second = lastMessageSecond + 1;
      offsetMillis += second * 1000L - now;
    }
    lastMessageSecond = second;
  }
}
