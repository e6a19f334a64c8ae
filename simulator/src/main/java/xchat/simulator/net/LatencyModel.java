package xchat.simulator.net;

import java.util.Locale;
import xchat.simulator.world.Drbg;

/**
 * One-way delay of a frame on a link: the link's base latency plus jitter from a distribution.
 * Each device-relay link gets its own base, drawn once between half and twice the mean.
 */
public record LatencyModel(Distribution distribution, long meanMillis) {

  public enum Distribution {
    /** base + uniform(0, base) */
    UNIFORM,
    /** base + exponential(mean base / 2): mostly close to the base, sometimes much later */
    EXPONENTIAL,
    /** base + Pareto(alpha 1.5): a heavy tail of very late frames */
    PARETO;

    public static Distribution parse(String text) {
      return valueOf(text.toUpperCase(Locale.ROOT));
    }
  }

  public static final LatencyModel DEFAULT = new LatencyModel(Distribution.EXPONENTIAL, 40);

  public LatencyModel {
    if (distribution == null || meanMillis < 0) {
      throw new IllegalArgumentException("a distribution and a non-negative mean latency");
    }
  }

  long base(Drbg random) {
    return meanMillis == 0 ? 0 : meanMillis / 2 + (long) (random.nextDouble() * meanMillis * 1.5);
  }

  long sample(long base, Drbg random) {
    if (base == 0) {
      return 0;
    }
    double jitter = switch (distribution) {
      case UNIFORM -> random.nextDouble() * base;
      case EXPONENTIAL -> -Math.log(1 - random.nextDouble()) * base / 2.0;
      case PARETO -> base * 0.3 * (Math.pow(1 - random.nextDouble(), -1 / 1.5) - 1);
    };
    return base + Math.min((long) jitter, 60_000);
  }
}
