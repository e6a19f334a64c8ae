package xchat.simulator;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The common pool's thread factory in {@link CommonPoolTest}'s child JVMs
 * ({@code -Djava.util.concurrent.ForkJoinPool.common.threadFactory}): the pool starts a worker
 * only when work is submitted to it, so a count of 0 after a run means no work ran there.
 */
public final class CommonPoolWatch implements ForkJoinPool.ForkJoinWorkerThreadFactory {
  private static final AtomicInteger STARTED = new AtomicInteger();

  @Override
  public ForkJoinWorkerThread newThread(ForkJoinPool pool) {
    STARTED.incrementAndGet();
    return ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
  }

  static int workersStarted() {
    return STARTED.get();
  }
}
