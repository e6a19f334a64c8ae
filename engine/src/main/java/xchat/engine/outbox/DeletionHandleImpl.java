package xchat.engine.outbox;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import xchat.engine.api.DeletionHandle;
import xchat.engine.api.DeletionReport;
import xchat.engine.api.MessageHandle;
import xchat.engine.api.SendOutcome;

/**
 * Tracks one delete for everyone: the kind-5 rumor's send, and each relay's answer to the NIP-09
 * request. The report completes once the rumor's send is over and every relay answered, or when
 * the circle gives up waiting ({@link #expire()}).
 */
public final class DeletionHandleImpl implements DeletionHandle {
  private final String messageId;
  private final MessageHandleImpl rumor;
  private final Supplier<Set<String>> devices;
  private final Executor executor;
  private final Map<String, DeletionReport.RelayAnswer> relays = new TreeMap<>();
  private final CompletableFuture<DeletionReport> report = new CompletableFuture<>();
  private boolean relaysKnown;
  private boolean expired;

  public DeletionHandleImpl(
      String messageId, MessageHandleImpl rumor, Supplier<Set<String>> devices, Executor executor) {
    this.messageId = messageId;
    this.rumor = rumor;
    this.devices = devices;
    this.executor = executor;
    rumor.outcome().thenRun(this::maybeComplete);
  }

  @Override
  public String messageId() {
    return messageId;
  }

  @Override
  public MessageHandle rumor() {
    return rumor;
  }

  @Override
  public CompletionStage<DeletionReport> report() {
    return report.minimalCompletionStage();
  }

  /** The relays asked with NIP-09; none when there was nothing to ask (or no network). */
  public synchronized void expectRelays(Collection<String> urls) {
    for (String url : urls) {
      relays.putIfAbsent(url, DeletionReport.RelayAnswer.PENDING);
    }
    relaysKnown = true;
    maybeComplete();
  }

  public void relayAnswered(String relay, boolean deleted) {
    synchronized (this) {
      relays.put(relay, deleted ? DeletionReport.RelayAnswer.DELETED : DeletionReport.RelayAnswer.REFUSED);
    }
    maybeComplete();
  }

  /** Stops waiting: the report completes with the answers so far. */
  public void expire() {
    synchronized (this) {
      expired = true;
      relaysKnown = true;
    }
    maybeComplete();
  }

  public synchronized DeletionReport snapshot() {
    SendOutcome outcome = rumor.outcome().toCompletableFuture().getNow(
        new SendOutcome.Failed(rumor.messageId(), "still sending", rumor.status()));
    return new DeletionReport(messageId, relays, devices.get(), outcome);
  }

  private void maybeComplete() {
    DeletionReport done;
    synchronized (this) {
      boolean rumorDone = rumor.outcome().toCompletableFuture().isDone();
      boolean answered = relaysKnown
          && (expired || relays.values().stream().noneMatch(a -> a == DeletionReport.RelayAnswer.PENDING));
      if (report.isDone() || !(answered && (rumorDone || expired))) {
        return;
      }
      done = snapshot();
    }
    executor.execute(() -> report.complete(done));
  }
}
