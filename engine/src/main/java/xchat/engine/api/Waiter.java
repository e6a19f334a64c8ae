package xchat.engine.api;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How the blocking calls of {@link XChat} wait for the engine's actors. Production blocks the
 * calling thread. A simulator that runs every engine on one thread cannot block that thread: its
 * waiter runs the simulation (tasks, virtual timers, network) until the stage completes.
 */
public interface Waiter {

  /** Blocks the calling thread for at most {@code timeout}. */
  Waiter BLOCKING = new Waiter() {
    @Override
    public <T> T await(CompletionStage<T> stage, Duration timeout)
        throws InterruptedException, ExecutionException, TimeoutException {
      return stage.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
  };

  <T> T await(CompletionStage<T> stage, Duration timeout)
      throws InterruptedException, ExecutionException, TimeoutException;
}
