package xchat.relay.server;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.DelayOverflowStrategy;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;

/**
 * The frames on their way to one client: a bounded stream queue plus a count of the characters
 * in it. The connection offers a frame only while the queue is below half of either bound
 * ({@link #hasRoom}); otherwise it keeps the frame and asks to be told when the queue has drained
 * ({@link #notifyWhenDrained}). So the socket's own buffers and this queue stay bounded, and
 * whatever waits beyond them is counted by the connection, which drops a client that falls too
 * far behind.
 */
final class OutputChannel {
  private final BoundedSourceQueue<String> queue;
  private final Source<Message, NotUsed> source;
  private final int capacity;
  private final long maxChars;
  private final AtomicLong queuedChars = new AtomicLong();
  private final AtomicBoolean drainWanted = new AtomicBoolean();
  private volatile Runnable onDrained = () -> {};

  OutputChannel(ActorSystem<?> system, int capacity, long maxChars, Duration delay) {
    this.capacity = capacity;
    this.maxChars = maxChars;
    Pair<BoundedSourceQueue<String>, Source<String, NotUsed>> parts =
        Source.<String>queue(capacity).preMaterialize(system);
    this.queue = parts.first();
    Source<String, NotUsed> frames = parts.second().map(this::leaving);
    if (!delay.isZero()) {
      frames = frames.delay(delay, DelayOverflowStrategy.backpressure());
    }
    this.source = frames.map(TextMessage::create);
  }

  Source<Message, NotUsed> source() {
    return source;
  }

  void onDrained(Runnable callback) {
    this.onDrained = callback;
  }

  boolean hasRoom() {
    return queue.size() < capacity / 2 && queuedChars.get() < maxChars / 2;
  }

  /** False when the stream is closed or (which {@link #hasRoom} prevents) full. */
  boolean offer(String frame) {
    queuedChars.addAndGet(frame.length());
    QueueOfferResult result = queue.offer(frame);
    if (result != QueueOfferResult.enqueued()) {
      queuedChars.addAndGet(-frame.length());
      return false;
    }
    return true;
  }

  /**
   * Arranges one call of the drain callback once {@link #hasRoom} holds; returns true instead
   * when it holds already.
   */
  boolean notifyWhenDrained() {
    drainWanted.set(true);
    if (hasRoom() && drainWanted.compareAndSet(true, false)) {
      return true;
    }
    return false;
  }

  private String leaving(String frame) {
    queuedChars.addAndGet(-frame.length());
    if (drainWanted.get() && hasRoom() && drainWanted.compareAndSet(true, false)) {
      onDrained.run();
    }
    return frame;
  }

  /** Ends the stream after the queued frames: a normal close. */
  void complete() {
    try {
      queue.complete();
    } catch (IllegalStateException alreadyEnded) {
      // The client closed first, which completed the queue: nothing is left to end.
    }
  }

  /** Ends the stream at once: the connection is dropped. */
  void fail(Throwable cause) {
    try {
      queue.fail(cause);
    } catch (IllegalStateException alreadyEnded) {
      // The client closed first: the connection is already gone.
    }
  }
}
