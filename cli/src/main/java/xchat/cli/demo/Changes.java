package xchat.cli.demo;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import xchat.engine.api.EngineEvent;

/**
 * Wakes a waiting thread whenever any engine it is subscribed to publishes an event, so the demo
 * waits on the engines' {@code events()} instead of sleeping. The condition itself is evaluated
 * on the waiting thread, never on the engine's dispatcher.
 */
final class Changes implements Flow.Subscriber<EngineEvent> {
  /** Some changes publish no event (a relay accepting a copy): look again at least this often. */
  private static final Duration RECHECK = Duration.ofMillis(250);

  private final Object lock = new Object();
  private CompletableFuture<Void> next = new CompletableFuture<>();

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    subscription.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(EngineEvent event) {
    wake();
  }

  @Override
  public void onError(Throwable failure) {
    wake();
  }

  @Override
  public void onComplete() {
    wake();
  }

  private void wake() {
    CompletableFuture<Void> woken;
    synchronized (lock) {
      woken = next;
      next = new CompletableFuture<>();
    }
    woken.complete(null);
  }

  private CompletableFuture<Void> nextChange() {
    synchronized (lock) {
      return next;
    }
  }

  /**
   * Returns once {@code condition} holds.
   *
   * @throws DemoFailure when it does not hold within {@code timeout}; {@code what} names it
   */
  void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      // Taken before the check, so a change between the check and the wait still wakes us.
      CompletableFuture<Void> changed = nextChange();
      if (condition.getAsBoolean()) {
        return;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new DemoFailure("waited " + timeout.toSeconds() + " s for " + what);
      }
      try {
        changed.get(Math.min(left, RECHECK.toNanos()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        // Nothing was published: look again.
      } catch (ExecutionException e) {
        throw new IllegalStateException("a change future cannot fail", e);
      }
    }
  }
}
