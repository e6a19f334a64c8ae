package xchat.engine.transport;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.stream.Materializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RelayTransport} over the JDK's WebSocket client ({@link java.net.http.WebSocket}), whose
 * listener is invoked only as far as demand allows, so the subscriber's demand reaches the TCP
 * socket. The NIP-11 document is fetched with Pekko HTTP.
 *
 * <p>Why not Pekko HTTP for the socket too: its message API materialises two substreams per
 * WebSocket message (split, then prefix-and-tail), strict or not, which cost more CPU than
 * parsing and storing the event; a relay streams thousands of events per second.
 */
public final class WebSocketTransport implements RelayTransport {
  private static final Logger LOG = LoggerFactory.getLogger(WebSocketTransport.class);
  /** How long a polite close may wait for the relay's close frame before the socket is dropped. */
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
  private static final int GOING_AWAY = 1001;

  /**
   * @param maxFrameBytes incoming frames beyond this (in characters) are dropped, reading at most this much
   * @param outgoingBufferFrames frames queued for sending before {@code send} says BUFFER_FULL
   * @param infoTimeout how long a NIP-11 document may take to arrive in full
   */
  public record Settings(int maxFrameBytes, int outgoingBufferFrames, Duration infoTimeout) {
    public static final Settings DEFAULT = new Settings(1 << 20, 256, Duration.ofSeconds(10));

    public Settings {
      if (maxFrameBytes <= 0 || outgoingBufferFrames <= 0) {
        throw new IllegalArgumentException("transport sizes must be positive");
      }
      Objects.requireNonNull(infoTimeout, "infoTimeout");
    }
  }

  /** A WebSocket upgrade the relay answered with something other than 101. */
  public static final class UpgradeRefusedException extends ConnectException {
    private static final long serialVersionUID = 1L;

    public UpgradeRefusedException(int status) {
      super("WebSocket upgrade refused with HTTP status " + status);
    }
  }

  private final Http http;
  private final Materializer materializer;
  private final Settings settings;
  private final Executor executor;
  private final HttpClient client;
  private final Set<JdkConnection> open = ConcurrentHashMap.newKeySet();

  public WebSocketTransport(ActorSystem<?> system, Settings settings) {
    this.http = Http.get(system);
    this.materializer = Materializer.matFromSystem(system);
    this.settings = Objects.requireNonNull(settings, "settings");
    this.executor = system.executionContext();
    this.client = HttpClient.newBuilder().executor(executor).build();
    // The JDK client outlives the actor system; sockets must not.
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
        "abort-relay-sockets", () -> {
          List.copyOf(open).forEach(JdkConnection::abort);
          return CompletableFuture.completedFuture(Done.getInstance());
        });
  }

  @Override
  public CompletionStage<RelayConnection> connect(RelayUrl url) {
    JdkConnection connection = new JdkConnection(url, settings, executor);
    return client.newWebSocketBuilder()
        .buildAsync(URI.create(url.value()), connection)
        .handle((socket, failure) -> {
          if (failure != null) {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
            if (cause instanceof WebSocketHandshakeException refused) {
              throw new CompletionException(new UpgradeRefusedException(refused.getResponse().statusCode()));
            }
            throw new CompletionException(cause);
          }
          open.add(connection);
          connection.terminated().whenComplete((done, ignored) -> open.remove(connection));
          connection.opened(socket);
          return connection;
        });
  }

  @Override
  public CompletionStage<RelayInfo> fetchInfo(RelayUrl url) {
    HttpRequest request = HttpRequest.GET(url.informationUri().toString())
        .addHeader(RawHeader.create("Accept", "application/nostr+json"));
    return http.singleRequest(request).thenComposeAsync(this::readInfo, executor);
  }

  private CompletionStage<RelayInfo> readInfo(HttpResponse response) {
    if (response.status().intValue() != 200) {
      response.discardEntityBytes(materializer);
      return CompletableFuture.failedFuture(
          new RelayInfoParseException("NIP-11 request answered with HTTP " + response.status().intValue()));
    }
    return response.entity()
        .toStrict(settings.infoTimeout().toMillis(), RelayInfoJson.MAX_DOCUMENT_BYTES, materializer)
        .thenApplyAsync(strict -> {
          try {
            return RelayInfoJson.parse(strict.getData().decodeString(StandardCharsets.UTF_8));
          } catch (RelayInfoParseException e) {
            throw new CompletionException(e);
          }
        }, executor);
  }

  /**
   * One socket. The listener methods are invoked one at a time by the JDK client; each invocation
   * uses one unit of demand, so a fragment, ping or pong that completes no frame asks for one more.
   */
  private static final class JdkConnection implements RelayConnection, WebSocket.Listener, Flow.Publisher<String> {
    private final RelayUrl url;
    private final int maxChars;
    private final int outgoingLimit;
    private final Executor executor;
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private volatile WebSocket socket;

    // Incoming side, guarded by this.
    private Flow.Subscriber<? super String> subscriber;
    private long demandBeforeOpen;
    private boolean ended;
    private Throwable endedWith;
    private boolean endSignalled;

    // Listener thread only: a frame arriving in fragments.
    private StringBuilder fragments;
    private boolean overflow;

    // Outgoing side, guarded by outgoing.
    private final ArrayDeque<String> outgoing = new ArrayDeque<>();
    private boolean sending;
    private boolean closing;

    JdkConnection(RelayUrl url, Settings settings, Executor executor) {
      this.url = url;
      this.maxChars = settings.maxFrameBytes();
      this.outgoingLimit = settings.outgoingBufferFrames();
      this.executor = executor;
    }

    void opened(WebSocket opened) {
      long demand;
      synchronized (this) {
        socket = opened;
        demand = demandBeforeOpen;
        demandBeforeOpen = 0;
      }
      if (demand > 0) {
        opened.request(demand);
      }
    }

    // ---- Flow.Publisher ---------------------------------------------------------------------------

    @Override
    public Flow.Publisher<String> incoming() {
      return this;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super String> s) {
      Objects.requireNonNull(s, "subscriber");
      synchronized (this) {
        if (subscriber != null) {
          s.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {}

            @Override
            public void cancel() {}
          });
          s.onError(new IllegalStateException("a relay connection allows one subscriber"));
          return;
        }
        subscriber = s;
      }
      s.onSubscribe(new Flow.Subscription() {
        @Override
        public void request(long n) {
          if (n <= 0) {
            end(new IllegalArgumentException("demand must be positive (Reactive Streams 3.9)"));
            return;
          }
          WebSocket open;
          synchronized (JdkConnection.this) {
            open = socket;
            if (open == null) {
              demandBeforeOpen = saturatedAdd(demandBeforeOpen, n);
              return;
            }
          }
          open.request(n);
        }

        @Override
        public void cancel() {
          abort();
        }
      });
      signalEndIfDue();
    }

    // Signals go out under the lock, so onNext never overlaps the end (Reactive Streams 1.3).
    private synchronized void deliver(String frame) {
      if (!ended && subscriber != null) {
        subscriber.onNext(frame);
      }
    }

    /** Ends the incoming side once; the subscriber hears it when (or as soon as) it subscribes. */
    private void end(Throwable failure) {
      synchronized (this) {
        if (ended) {
          return;
        }
        ended = true;
        endedWith = failure;
        signalEndIfDue();
      }
      logEnd(url, failure);
      terminated.complete(null);
    }

    private synchronized void signalEndIfDue() {
      if (!ended || endSignalled || subscriber == null) {
        return;
      }
      endSignalled = true;
      if (endedWith == null) {
        subscriber.onComplete();
      } else {
        subscriber.onError(endedWith);
      }
    }

    // ---- WebSocket.Listener -----------------------------------------------------------------------

    @Override
    public void onOpen(WebSocket webSocket) {
      // No request here: frames are read only once the subscriber asks for them.
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      if (fragments == null && last) {
        deliver(data.length() > maxChars ? DROPPED_FRAME : data.toString());
        return null;
      }
      if (fragments == null) {
        fragments = new StringBuilder();
        overflow = false;
      }
      // Reads the whole frame off the wire but keeps at most maxChars of it.
      if (!overflow && fragments.length() + data.length() > maxChars) {
        overflow = true;
        fragments.setLength(0);
      } else if (!overflow) {
        fragments.append(data);
      }
      if (last) {
        String frame = overflow ? DROPPED_FRAME : fragments.toString();
        fragments = null;
        deliver(frame);
      } else {
        webSocket.request(1);
      }
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      if (last) {
        deliver(DROPPED_FRAME);
      } else {
        webSocket.request(1);
      }
      return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
      webSocket.request(1); // the client answers with a pong itself
      return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      // The client answers the close frame once this returns.
      boolean normal = statusCode == WebSocket.NORMAL_CLOSURE || statusCode == GOING_AWAY;
      end(normal ? null : new ClosedByRelayException(statusCode, reason));
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      end(error);
    }

    // ---- Outgoing ---------------------------------------------------------------------------------

    @Override
    public SendResult send(String frame) {
      Objects.requireNonNull(frame, "frame");
      synchronized (outgoing) {
        if (closing || terminated.isDone()) {
          return SendResult.CLOSED;
        }
        if (sending) {
          if (outgoing.size() >= outgoingLimit) {
            return SendResult.BUFFER_FULL;
          }
          outgoing.add(frame);
          return SendResult.ENQUEUED;
        }
        sending = true;
      }
      transmit(frame);
      return SendResult.ENQUEUED;
    }

    /** The JDK client takes one message at a time: the next goes once the last one is written. */
    private void transmit(String frame) {
      socket.sendText(frame, true).whenComplete((ignored, failure) -> {
        if (failure != null) {
          abortWith(failure);
          return;
        }
        String next;
        boolean closeNow;
        synchronized (outgoing) {
          next = outgoing.poll();
          sending = next != null;
          closeNow = next == null && closing;
        }
        if (next != null) {
          transmit(next);
        } else if (closeNow) {
          sendClose();
        }
      });
    }

    @Override
    public void close() {
      boolean closeNow;
      synchronized (outgoing) {
        if (closing) {
          return;
        }
        closing = true;
        closeNow = !sending;
      }
      if (closeNow) {
        sendClose();
      }
    }

    private void sendClose() {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "").whenComplete((ignored, failure) -> {
        if (failure != null) {
          abortWith(failure);
        }
      });
      // A relay that never answers the close frame does not keep the socket open.
      CompletableFuture.delayedExecutor(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS, executor).execute(() -> {
        if (!terminated.isDone()) {
          abort();
        }
      });
    }

    @Override
    public void abort() {
      abortWith(new ClosedByClientException());
    }

    private void abortWith(Throwable cause) {
      synchronized (outgoing) {
        closing = true;
        outgoing.clear();
      }
      WebSocket open = socket;
      if (open != null) {
        open.abort();
      }
      end(cause);
    }

    @Override
    public CompletionStage<Void> terminated() {
      return terminated;
    }

    private static long saturatedAdd(long a, long b) {
      long sum = a + b;
      return sum < 0 ? Long.MAX_VALUE : sum;
    }
  }

  /** The relay closed the socket with a status other than a normal close or going away. */
  public static final class ClosedByRelayException extends Exception {
    private static final long serialVersionUID = 1L;

    ClosedByRelayException(int status, String reason) {
      super("closed by the relay with status " + status + (reason.isEmpty() ? "" : " (" + reason + ")"),
          null, false, false);
    }
  }

  /** How the transport ends a connection the client no longer wants. */
  public static final class ClosedByClientException extends Exception {
    private static final long serialVersionUID = 1L;

    ClosedByClientException() {
      super("connection closed by the client", null, false, false);
    }
  }

  private static void logEnd(RelayUrl url, Throwable failure) {
    if (failure == null || failure instanceof ClosedByClientException) {
      LOG.debug("{}: connection closed", forLog(url));
    } else {
      LOG.warn("{}: connection failed: {}: {}", forLog(url), failure.getClass().getSimpleName(), failure.getMessage());
    }
  }

  /** The relay as logs name it: no query string or user info, which may carry tokens. */
  static String forLog(RelayUrl url) {
    URI uri = url.uri();
    return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
        + (uri.getRawPath() == null ? "" : uri.getRawPath());
  }
}
