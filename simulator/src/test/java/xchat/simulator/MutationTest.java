package xchat.simulator;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import xchat.engine.api.InjectedBug;
import xchat.simulator.report.FailureReport;
import xchat.simulator.world.RunResult;

/**
 * The checker has teeth: each known bug, switched on in the engine, is caught within 200 seeds.
 * Each test stops at the first seed that catches it.
 */
class MutationTest {
  private static final int MAX_SEEDS = 200;

  @ParameterizedTest(name = "{0}")
  @EnumSource(InjectedBug.class)
  void injectedBugIsCaught(InjectedBug bug) {
    for (long seed = 1; seed <= MAX_SEEDS; seed++) {
      RunResult result = Simulator.run(TestWorlds.small(seed).withBugs(Set.of(bug)));
      if (!result.replayable()) {
        fail(bug.flag() + " seed " + seed + ": " + FailureReport.of(result, "--inject-bug " + bug.flag()));
      }
      if (!result.violations().isEmpty()) {
        System.out.println(bug.flag() + " caught by seed " + seed + ": " + result.violations().get(0));
        return;
      }
      System.out.println(bug.flag() + " not caught by seed " + seed);
    }
    fail(bug.flag() + " survived seeds 1.." + MAX_SEEDS);
  }
}
