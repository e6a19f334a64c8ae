package xchat.simulator.world;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A node's wall clock in virtual time, with its own skew (a device whose clock is wrong). */
public final class VirtualClock extends Clock {
  private final Sim sim;
  private long skewMillis;

  public VirtualClock(Sim sim, long skewMillis) {
    this.sim = sim;
    this.skewMillis = skewMillis;
  }

  public long skewMillis() {
    return skewMillis;
  }

  public void skew(long millis) {
    this.skewMillis = millis;
  }

  @Override
  public long millis() {
    return sim.wallMillis() + skewMillis;
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
    return this;
  }
}
