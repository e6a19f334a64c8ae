package xchat.engine.api;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * An outgoing message. Its id is the rumor id, known at once and kept by every retry. Its status
 * moves QUEUED, then ACCEPTED per copy and per relay, then SENT or FAILED.
 */
public interface MessageHandle {
  String messageId();

  String circle();

  /** The latest status. */
  MessageStatus status();

  /** Completes when the status is terminal (SENT or FAILED); never completes exceptionally. */
  CompletionStage<SendOutcome> outcome();

  /**
   * Every status change from now on. After the terminal one the state stays, but relays that
   * answer later still show in {@code copies()}; completes once every relay answered for every
   * copy, or gave up waiting.
   */
  Flow.Publisher<MessageStatus> statusUpdates();
}
