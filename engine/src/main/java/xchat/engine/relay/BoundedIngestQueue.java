package xchat.engine.relay;

import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A bounded hand-off between relay actors and one consumer thread. An offer within the capacity
 * is acknowledged at once; beyond it the acknowledgement waits until the consumer has polled.
 * Producers that respect acknowledgements (as relay actors do, within their window) therefore
 * hold the queue at capacity plus their windows, never more.
 */
public final class BoundedIngestQueue implements IngestSink {
  private final int capacity;
  private final ArrayDeque<IngestEnvelope> items = new ArrayDeque<>();
  private final ArrayDeque<CompletableFuture<Void>> unacknowledged = new ArrayDeque<>();
  private int highWaterMark;

  public BoundedIngestQueue(int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    this.capacity = capacity;
  }

  @Override
  public CompletionStage<Void> offer(IngestEnvelope envelope) {
    synchronized (this) {
      items.addLast(envelope);
      highWaterMark = Math.max(highWaterMark, items.size());
      notifyAll();
      if (items.size() <= capacity) {
        return CompletableFuture.completedFuture(null);
      }
      CompletableFuture<Void> ack = new CompletableFuture<>();
      unacknowledged.addLast(ack);
      return ack;
    }
  }

  public Optional<IngestEnvelope> poll() {
    IngestEnvelope head;
    CompletableFuture<Void> release = null;
    synchronized (this) {
      head = items.pollFirst();
      if (head != null && items.size() >= capacity && !unacknowledged.isEmpty()) {
        release = unacknowledged.pollFirst();
      }
    }
    // Outside the lock: completing runs the producer's callback.
    if (release != null) {
      release.complete(null);
    }
    return Optional.ofNullable(head);
  }

  /** Waits up to {@code timeout} for an envelope. */
  public Optional<IngestEnvelope> poll(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    synchronized (this) {
      while (items.isEmpty()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return Optional.empty();
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }
    return poll();
  }

  public synchronized int size() {
    return items.size();
  }

  /** The most envelopes ever held at once. */
  public synchronized int highWaterMark() {
    return highWaterMark;
  }

  public int capacity() {
    return capacity;
  }
}
