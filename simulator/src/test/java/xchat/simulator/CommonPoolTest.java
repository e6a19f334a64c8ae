package xchat.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * No engine or relay work runs on the common fork-join pool: every continuation is on the
 * executor the world injects. One seed with every fault on runs in two fresh JVMs, one whose
 * common pool has parallelism 1 (CompletableFuture then starts a thread per async task) and one
 * with parallelism 3 whose pool counts the workers it starts. Both give the same trace hash, no
 * task reaches the simulation from another thread, and the pool never starts a worker.
 */
class CommonPoolTest {
  private static final long SEED = 4_242L;
  private static final String SECONDS = "25";
  private static final String PARALLELISM = "-Djava.util.concurrent.ForkJoinPool.common.parallelism=";

  @Test
  void noWorkRunsOnTheCommonPoolWhateverItsParallelism() throws IOException, InterruptedException {
    String single = ChildRun.launch(List.of(PARALLELISM + 1), Long.toString(SEED), SECONDS);
    String watched = ChildRun.launch(List.of(PARALLELISM + 3,
        "-Djava.util.concurrent.ForkJoinPool.common.threadFactory=" + CommonPoolWatch.class.getName()),
        Long.toString(SEED), SECONDS);
    String line = ChildRun.line(watched);
    assertTrue(line.startsWith("seed " + SEED + " trace-hash "), "seed " + SEED + ": the run finished: " + watched);
    assertFalse(line.contains("foreign-tasks"), "seed " + SEED + ": a task came from another thread: " + watched);
    assertTrue(watched.contains("common-pool workers 0"), "seed " + SEED + ": work ran on the common pool: " + watched);
    assertEquals(line, ChildRun.line(single), "seed " + SEED + ": common-pool parallelism 1 and 3 replay each other");
  }
}
