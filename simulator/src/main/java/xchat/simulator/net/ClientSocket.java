package xchat.simulator.net;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.function.Consumer;
import xchat.engine.transport.RelayConnection;

/**
 * A device's end of a virtual socket, as the engine's relay actor uses it. Incoming frames wait
 * in an unbounded buffer (the kernel's socket buffer) and go to the subscriber as it requests
 * them; sending hands the frame to the network at once.
 */
final class ClientSocket implements RelayConnection, Flow.Publisher<String> {
  private final Consumer<String> out;
  private final Runnable onClose;
  private final ArrayDeque<String> buffer = new ArrayDeque<>();
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();
  private Flow.Subscriber<? super String> subscriber;
  private long demand;
  private boolean draining;
  private boolean closed;
  private boolean ended;
  private Throwable failure;

  ClientSocket(Consumer<String> out, Runnable onClose) {
    this.out = out;
    this.onClose = onClose;
  }

  @Override
  public Flow.Publisher<String> incoming() {
    return this;
  }

  @Override
  public void subscribe(Flow.Subscriber<? super String> s) {
    if (subscriber != null) {
      s.onSubscribe(new Flow.Subscription() {
        @Override
        public void request(long n) {}

        @Override
        public void cancel() {}
      });
      s.onError(new IllegalStateException("a socket has one reader"));
      return;
    }
    subscriber = s;
    s.onSubscribe(new Flow.Subscription() {
      @Override
      public void request(long n) {
        demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
        drain();
      }

      @Override
      public void cancel() {
        close();
      }
    });
    drain();
  }

  @Override
  public SendResult send(String frame) {
    if (closed || ended) {
      return SendResult.CLOSED;
    }
    out.accept(frame);
    return SendResult.ENQUEUED;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    terminated.complete(null);
    if (!ended) {
      onClose.run();
    }
  }

  /** The relay learns of it the same way, one latency later (no close frame either way here). */
  @Override
  public void abort() {
    close();
  }

  @Override
  public CompletionStage<Void> terminated() {
    return terminated;
  }

  void deliver(String frame) {
    if (closed || ended) {
      return;
    }
    buffer.add(frame);
    drain();
  }

  /** The relay closed the socket normally. */
  void complete() {
    end(null);
  }

  /** The socket broke. */
  void fail(Throwable cause) {
    end(cause);
  }

  private void end(Throwable cause) {
    if (ended) {
      return;
    }
    ended = true;
    failure = cause;
    if (cause != null) {
      buffer.clear();
    }
    drain();
    terminated.complete(null);
  }

  private void drain() {
    if (draining || subscriber == null) {
      return;
    }
    draining = true;
    try {
      while (!closed && demand > 0 && !buffer.isEmpty()) {
        demand--;
        subscriber.onNext(buffer.poll());
      }
      if (ended && !closed && buffer.isEmpty()) {
        closed = true;
        if (failure != null) {
          subscriber.onError(failure);
        } else {
          subscriber.onComplete();
        }
      }
    } finally {
      draining = false;
    }
  }
}
