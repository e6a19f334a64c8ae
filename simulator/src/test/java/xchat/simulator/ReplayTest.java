package xchat.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import xchat.simulator.world.RunResult;

/**
 * One seed, one run: the trace hash (every frame, fault, store and engine event, in order) is
 * the same when a seed runs twice in this JVM and once more in a fresh one, where hash-based
 * collection orders and identity hashes differ.
 */
class ReplayTest {
  private static final long SEED = 20_240_101L;

  @Test
  void sameSeedGivesSameTraceHashInThisJvmAndAnother() throws IOException, InterruptedException {
    RunResult first = Simulator.run(TestWorlds.small(SEED));
    RunResult second = Simulator.run(TestWorlds.small(SEED));
    System.out.println(first.line() + "\n" + second.line());
    assertTrue(first.events() > 1000, "seed " + SEED + ": a run records frames, faults and engine events");
    assertEquals(first.traceHash(), second.traceHash(), "seed " + SEED + " replayed in the same JVM");

    String line = ChildRun.line(ChildRun.launch(List.of(), Long.toString(SEED)));
    assertEquals(first.line(), line, "seed " + SEED + " replayed in another JVM");
  }

  @Test
  void differentSeedsGiveDifferentTraces() {
    RunResult a = Simulator.run(TestWorlds.small(7).withTiming(java.time.Duration.ofSeconds(10),
        java.time.Duration.ofSeconds(10), 2));
    RunResult b = Simulator.run(TestWorlds.small(8).withTiming(java.time.Duration.ofSeconds(10),
        java.time.Duration.ofSeconds(10), 2));
    assertTrue(!a.traceHash().equals(b.traceHash()), "seeds 7 and 8 should not replay each other");
  }
}
