package xchat.engine.outbox;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import xchat.engine.api.MessageHandle;
import xchat.engine.api.MessageStatus;
import xchat.engine.api.SendOutcome;
import xchat.engine.api.XChatException;

/** The engine's side of a {@link MessageHandle}: updated by the circle actor, read by the app. */
public final class MessageHandleImpl implements MessageHandle {
  private final String messageId;
  private final String circle;
  private final Executor executor;
  private final CompletableFuture<SendOutcome> outcome = new CompletableFuture<>();
  private final CompletableFuture<Void> queued = new CompletableFuture<>();
  private final SubmissionPublisher<MessageStatus> updates;
  private volatile MessageStatus status;
  private boolean settled;

  public MessageHandleImpl(String messageId, String circle, Executor executor) {
    this.messageId = messageId;
    this.circle = circle;
    this.executor = executor;
    this.updates = new SubmissionPublisher<>(executor, 64);
    this.status = new MessageStatus(messageId, MessageStatus.State.QUEUED, Map.of(), Optional.empty());
  }

  @Override
  public String messageId() {
    return messageId;
  }

  @Override
  public String circle() {
    return circle;
  }

  @Override
  public MessageStatus status() {
    return status;
  }

  @Override
  public CompletionStage<SendOutcome> outcome() {
    return outcome.minimalCompletionStage();
  }

  @Override
  public Flow.Publisher<MessageStatus> statusUpdates() {
    return updates;
  }

  /**
   * Completes once the entry is durable in the outbox; exceptionally, with {@link XChatException}
   * STORAGE, if it could not be written.
   */
  public CompletableFuture<Void> queued() {
    return queued;
  }

  /** Records a new status; a terminal one completes the outcome (on the executor, not the caller). */
  public synchronized void update(MessageStatus next) {
    if (settled) {
      return;
    }
    if (status.isTerminal()) {
      // The outcome is decided; later relays' answers still show, per copy and per relay.
      status = new MessageStatus(messageId, status.state(), next.copies(), status.reason());
      updates.offer(status, (subscriber, dropped) -> false);
      return;
    }
    status = next;
    queued.complete(null);
    updates.offer(next, (subscriber, dropped) -> false);
    if (next.state() == MessageStatus.State.SENT) {
      finish(new SendOutcome.Sent(messageId, next));
    } else if (next.state() == MessageStatus.State.FAILED) {
      finish(new SendOutcome.Failed(messageId, next.reason().orElse("failed"), next));
    }
  }

  /** Fails before anything was queued (the outbox write failed). */
  public synchronized void fail(String reason) {
    queued.completeExceptionally(new XChatException(XChatException.Reason.STORAGE, reason));
    update(new MessageStatus(messageId, MessageStatus.State.FAILED, Map.of(), Optional.of(reason)));
    settle();
  }

  /** No relay will answer any more (all did, or the wait ended): completes {@link #statusUpdates}. */
  public synchronized void settle() {
    if (!settled) {
      settled = true;
      updates.close();
    }
  }

  private void finish(SendOutcome result) {
    executor.execute(() -> outcome.complete(result));
  }
}
