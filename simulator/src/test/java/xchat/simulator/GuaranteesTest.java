package xchat.simulator;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import xchat.simulator.world.RunResult;

/** The fixed seeds CI runs: every fault on, all seven guarantees hold at the end and at every step. */
class GuaranteesTest {

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3})
  void everyGuaranteeHoldsUnderEveryFault(long seed) {
    RunResult result = Simulator.run(TestWorlds.small(seed));
    System.out.println(result.line() + " (" + result.messagesSent() + " sent, " + result.faultsInjected()
        + " faults, " + result.checks() + " checks)");
    assertTrue(result.messagesSent() > 0 && result.faultsInjected() > 0 && result.checks() > 100,
        "seed " + seed + ": the run exercised the engine");
    assertTrue(result.ok(), "seed " + seed + " " + result.config().faults().describe() + ": "
        + xchat.simulator.report.FailureReport.of(result, ""));
  }
}
