package xchat.engine.runtime;

import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xchat.engine.api.EngineEvent;

/**
 * Fans engine events out to subscribers on the engine's executor. Publishing never blocks the
 * engine: a subscriber that falls {@link #BUFFER} events behind loses the events that do not fit
 * (it can re-read the store), and the loss is logged.
 */
public final class EventBus implements AutoCloseable {
  public static final int BUFFER = 8192;
  private static final Logger LOG = LoggerFactory.getLogger(EventBus.class);

  private final SubmissionPublisher<EngineEvent> publisher;

  public EventBus(Executor executor) {
    this.publisher = new SubmissionPublisher<>(executor, BUFFER);
  }

  public void publish(EngineEvent event) {
    if (publisher.isClosed()) {
      return;
    }
    publisher.offer(event, (subscriber, dropped) -> {
      LOG.warn("an event subscriber is {} events behind; dropped a {}", BUFFER,
          dropped.getClass().getSimpleName());
      return false;
    });
  }

  public Flow.Publisher<EngineEvent> publisher() {
    return publisher;
  }

  @Override
  public void close() {
    publisher.close();
  }
}
