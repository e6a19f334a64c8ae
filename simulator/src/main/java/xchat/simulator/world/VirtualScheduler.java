package xchat.simulator.world;

import com.typesafe.config.Config;
import java.io.Closeable;
import java.util.concurrent.ThreadFactory;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.Scheduler;
import org.apache.pekko.event.LoggingAdapter;
import scala.concurrent.ExecutionContext;
import scala.concurrent.duration.FiniteDuration;

/**
 * Pekko's scheduler in virtual time: every timer of every actor system in a world goes into the
 * world's one timer queue. It does what Pekko's {@code ExplicitlyTriggeredScheduler} does for one
 * system, but shares one clock across systems and fires timers due at the same instant in the
 * order they were set (the testkit's keeps them in a hash map). Pekko instantiates it from {@code
 * pekko.scheduler.implementation}; {@code xchat.simulator.sim} and {@code xchat.simulator.node}
 * name the world and the node it belongs to.
 */
public final class VirtualScheduler implements Scheduler, Closeable {
  private final Sim sim;
  private final Node node;
  private boolean closed;

  public VirtualScheduler(Config config, LoggingAdapter log, ThreadFactory threadFactory) {
    this.sim = Sim.lookup(config.getString("xchat.simulator.sim"));
    this.node = sim.nodeNamed(config.getString("xchat.simulator.node"));
  }

  @Override
  public Cancellable scheduleOnce(FiniteDuration delay, Runnable runnable, ExecutionContext executor) {
    Handle handle = new Handle();
    handle.timer = sim.schedule(node, millis(delay), () -> {
      if (!closed && !handle.cancelled) {
        handle.cancelled = true;
        executor.execute(runnable);
      }
    });
    return handle;
  }

  @Override
  public Cancellable schedule(FiniteDuration initialDelay, FiniteDuration interval, Runnable runnable,
      ExecutionContext executor) {
    Handle handle = new Handle();
    long every = Math.max(1, millis(interval));
    repeat(handle, millis(initialDelay), every, runnable, executor);
    return handle;
  }

  private void repeat(Handle handle, long delay, long every, Runnable runnable, ExecutionContext executor) {
    handle.timer = sim.schedule(node, delay, () -> {
      if (!closed && !handle.cancelled) {
        executor.execute(runnable);
        repeat(handle, every, every, runnable, executor);
      }
    });
  }

  /** Rounded up, as a real scheduler never fires early. */
  private static long millis(FiniteDuration duration) {
    long nanos = duration.toNanos();
    return nanos <= 0 ? 0 : (nanos + 999_999) / 1_000_000;
  }

  @Override
  public double maxFrequency() {
    return 1000.0;
  }

  @Override
  public void close() {
    closed = true;
  }

  private static final class Handle implements Cancellable {
    Sim.Timer timer;
    boolean cancelled;

    @Override
    public boolean cancel() {
      if (cancelled) {
        return false;
      }
      cancelled = true;
      if (timer != null) {
        timer.cancel();
      }
      return true;
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }
  }
}
