package xchat.simulator;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import xchat.simulator.faults.Faults;
import xchat.simulator.world.RunResult;
import xchat.simulator.world.WorldConfig;

class SmokeTest {
  @Test
  void quietWorldDeliversEverything() {
    WorldConfig config = WorldConfig.defaults(1).withFaults(Faults.none()).withSize(4, 2, 1)
        .withTiming(Duration.ofSeconds(20), Duration.ofSeconds(20), 3);
    RunResult result = Simulator.run(config);
    System.out.println(result.line() + " in " + result.wallMillis() + " ms, " + result.events() + " events, "
        + result.messagesSent() + " sent, foreign " + result.foreignSubmissions());
    result.violations().forEach(System.out::println);
    assertTrue(result.ok(), "seed 1: " + result.violations());
  }
}
