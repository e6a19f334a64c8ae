package xchat.engine.transport;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * An injected bug, for the simulator's mutation tests only: one socket per relay host, shared by
 * every circle that connects to that host, whatever the port or path. Every circle then reads
 * every frame of the shared socket, and publishes to whichever relay opened it first, so circles
 * mix. The engine uses it only when {@code InjectedBug.SHARE_SOCKET_ACROSS_CIRCLES} is on.
 */
public final class SharedSocketTransport implements RelayTransport {
  private final RelayTransport delegate;
  private final Map<String, CompletableFuture<Shared>> byHost = new HashMap<>();

  public SharedSocketTransport(RelayTransport delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public CompletionStage<RelayConnection> connect(RelayUrl url) {
    String host = String.valueOf(url.uri().getHost());
    CompletableFuture<Shared> shared;
    synchronized (byHost) {
      shared = byHost.get(host);
      boolean usable = shared != null
          && (!shared.isDone() || (!shared.isCompletedExceptionally() && !shared.join().ended));
      if (!usable) {
        // A connection in progress to the host is waited for and shared, as a pool keyed by host does.
        shared = delegate.connect(url).thenApply(Shared::new).toCompletableFuture();
        byHost.put(host, shared);
      }
    }
    return shared.thenApply(Shared::view);
  }

  @Override
  public CompletionStage<RelayInfo> fetchInfo(RelayUrl url) {
    return delegate.fetchInfo(url);
  }

  /** One real connection and the views that share it. */
  private static final class Shared implements Flow.Subscriber<String> {
    final RelayConnection connection;
    final List<View> views = new ArrayList<>();
    boolean ended;
    Throwable failure;

    Shared(RelayConnection connection) {
      this.connection = connection;
      connection.incoming().subscribe(this);
    }

    synchronized View view() {
      View view = new View(this);
      views.add(view);
      return view;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(String frame) {
      List<View> copy;
      synchronized (this) {
        copy = List.copyOf(views);
      }
      copy.forEach(view -> view.offer(frame));
    }

    @Override
    public void onError(Throwable throwable) {
      end(throwable);
    }

    @Override
    public void onComplete() {
      end(null);
    }

    private void end(Throwable cause) {
      List<View> copy;
      synchronized (this) {
        ended = true;
        failure = cause;
        copy = List.copyOf(views);
      }
      copy.forEach(View::drain);
    }

    synchronized void closed(View view) {
      views.remove(view);
      if (views.isEmpty()) {
        ended = true;
        connection.close();
      }
    }
  }

  /** What one circle's relay actor sees of a shared socket. */
  private static final class View implements RelayConnection, Flow.Publisher<String> {
    final Shared shared;
    final ArrayDeque<String> buffer = new ArrayDeque<>();
    final CompletableFuture<Void> terminated = new CompletableFuture<>();
    Flow.Subscriber<? super String> subscriber;
    long demand;
    boolean closed;

    View(Shared shared) {
      this.shared = shared;
    }

    @Override
    public Flow.Publisher<String> incoming() {
      return this;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super String> s) {
      synchronized (this) {
        subscriber = s;
      }
      s.onSubscribe(new Flow.Subscription() {
        @Override
        public void request(long n) {
          synchronized (View.this) {
            demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
          }
          drain();
        }

        @Override
        public void cancel() {
          close();
        }
      });
      drain();
    }

    void offer(String frame) {
      synchronized (this) {
        if (closed) {
          return;
        }
        buffer.add(frame);
      }
      drain();
    }

    void drain() {
      while (true) {
        String next;
        Flow.Subscriber<? super String> s;
        synchronized (this) {
          s = subscriber;
          if (s == null || closed) {
            return;
          }
          if (buffer.isEmpty() || demand == 0) {
            if (buffer.isEmpty() && shared.ended) {
              closed = true;
              Throwable failure = shared.failure;
              if (failure != null) {
                s.onError(failure);
              } else {
                s.onComplete();
              }
              terminated.complete(null);
            }
            return;
          }
          next = buffer.poll();
          demand--;
        }
        s.onNext(next);
      }
    }

    @Override
    public SendResult send(String frame) {
      return closed ? SendResult.CLOSED : shared.connection.send(frame);
    }

    @Override
    public void close() {
      synchronized (this) {
        if (closed) {
          return;
        }
        closed = true;
      }
      terminated.complete(null);
      shared.closed(this);
    }

    @Override
    public void abort() {
      close();
    }

    @Override
    public CompletionStage<Void> terminated() {
      return terminated;
    }
  }
}
