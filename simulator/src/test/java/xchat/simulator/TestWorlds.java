package xchat.simulator;

import java.time.Duration;
import xchat.simulator.world.WorldConfig;

/** The small worlds the tests run: every fault on, short enough for CI on two cores. */
final class TestWorlds {
  private TestWorlds() {}

  static WorldConfig small(long seed) {
    return WorldConfig.defaults(seed).withTiming(Duration.ofSeconds(40), Duration.ofSeconds(40), 5);
  }
}
