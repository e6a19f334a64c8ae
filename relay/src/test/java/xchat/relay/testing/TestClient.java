package xchat.relay.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.filter.Filter;
import xchat.protocol.message.ClientMessage;
import xchat.protocol.message.MessageParseException;
import xchat.protocol.message.RelayMessage;
import xchat.protocol.message.RelayMessageJson;

/** A Nostr client over the JDK's WebSocket, as plain as a test needs. */
public final class TestClient implements AutoCloseable {
  public static final Duration TIMEOUT = Duration.ofSeconds(15);

  private final WebSocket socket;
  private final LinkedBlockingQueue<String> inbox = new LinkedBlockingQueue<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private final AtomicBoolean paused = new AtomicBoolean();
  private final AtomicInteger probes = new AtomicInteger();
  private volatile String challenge;

  private TestClient(String url) {
    Listener listener = new Listener();
    this.socket =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .connectTimeout(TIMEOUT)
            .buildAsync(URI.create(url), listener)
            .orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
            .join();
  }

  public static TestClient connect(String url) {
    return new TestClient(url);
  }

  public void send(ClientMessage message) {
    send(message.toJson());
  }

  public void send(String frame) {
    socket.sendText(frame, true).orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
  }

  public void sendBinary(byte[] data) {
    socket.sendBinary(ByteBuffer.wrap(data), true)
        .orTimeout(TIMEOUT.toSeconds(), TimeUnit.SECONDS).join();
  }

  /** The next frame, parsed; fails the test after {@link #TIMEOUT}. */
  public RelayMessage next() {
    String frame = nextRaw();
    try {
      return RelayMessageJson.parse(frame);
    } catch (MessageParseException e) {
      throw new AssertionError("the relay sent a frame the parser refuses: " + e.getMessage());
    }
  }

  public String nextRaw() {
    try {
      String frame = inbox.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (frame == null) {
        fail("no frame from the relay within " + TIMEOUT);
      }
      return frame;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Skips frames until one of {@code type} satisfies {@code test}; returns the skipped too. */
  public <T extends RelayMessage> T await(Class<T> type, Predicate<T> test) {
    List<String> skipped = new ArrayList<>();
    while (true) {
      RelayMessage message = next();
      if (type.isInstance(message) && test.test(type.cast(message))) {
        return type.cast(message);
      }
      skipped.add(message.type());
      if (skipped.size() > 10_000) {
        fail("no matching " + type.getSimpleName() + " after " + skipped.size() + " frames");
      }
    }
  }

  public RelayMessage.Ok publish(NostrEvent event) {
    send(new ClientMessage.EventMessage(event));
    return await(RelayMessage.Ok.class, ok -> ok.eventId().equals(event.id()));
  }

  /** Opens a subscription and returns the stored events it gets before EOSE, in order. */
  public List<NostrEvent> req(String subscriptionId, Filter... filters) {
    send(new ClientMessage.Req(subscriptionId, List.of(filters)));
    return untilEose(subscriptionId);
  }

  public List<NostrEvent> untilEose(String subscriptionId) {
    List<NostrEvent> events = new ArrayList<>();
    while (true) {
      RelayMessage message = next();
      if (message instanceof RelayMessage.EventMessage m
          && m.subscriptionId().equals(subscriptionId)) {
        events.add(m.event());
      } else if (message instanceof RelayMessage.Eose m
          && m.subscriptionId().equals(subscriptionId)) {
        return events;
      } else if (message instanceof RelayMessage.Closed m
          && m.subscriptionId().equals(subscriptionId)) {
        throw new AssertionError("subscription closed: " + m.message());
      }
    }
  }

  /**
   * Everything the relay sent before it answered a fresh probe: the relay handles one
   * connection's frames in order, so nothing sent for earlier frames can come later.
   */
  public List<RelayMessage> drain() {
    String probe = "probe-" + probes.incrementAndGet();
    send(new ClientMessage.Req(probe, List.of(Filter.builder().limit(0).build())));
    List<RelayMessage> before = new ArrayList<>();
    while (true) {
      RelayMessage message = next();
      if (message instanceof RelayMessage.Eose m && m.subscriptionId().equals(probe)) {
        send(new ClientMessage.Close(probe));
        return before;
      }
      before.add(message);
    }
  }

  /** Whatever frames already arrived, without waiting: for a closed connection. */
  public List<RelayMessage> drainOrNone() {
    List<RelayMessage> out = new ArrayList<>();
    String frame;
    while ((frame = inbox.poll()) != null) {
      try {
        out.add(RelayMessageJson.parse(frame));
      } catch (MessageParseException e) {
        throw new AssertionError("the relay sent a frame the parser refuses: " + e.getMessage());
      }
    }
    return out;
  }

  /** The NIP-42 challenge the relay sent when the connection opened. */
  public String challenge() {
    if (challenge == null) {
      RelayMessage.AuthChallenge auth = await(RelayMessage.AuthChallenge.class, m -> true);
      challenge = auth.challenge();
    }
    return challenge;
  }

  public void expectOk(RelayMessage.Ok ok, boolean accepted, String prefix) {
    assertEquals(accepted, ok.accepted(), "OK accepted flag, message: " + ok.message());
    if (!prefix.isEmpty() && !ok.message().startsWith(prefix)) {
      fail("expected an OK message starting with '" + prefix + "' but got: " + ok.message());
    }
  }

  public static <T> T as(Class<T> type, RelayMessage message) {
    return assertInstanceOf(type, message);
  }

  /** Stops reading from the socket, so the relay's output to this client backs up. */
  public void pauseReading() {
    paused.set(true);
  }

  public CompletableFuture<Integer> closed() {
    return closed;
  }

  public boolean isOpen() {
    return !closed.isDone() && !socket.isInputClosed();
  }

  @Override
  public void close() {
    if (!socket.isOutputClosed()) {
      socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
    }
    socket.abort();
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String frame = partial.toString();
        partial.setLength(0);
        if (challenge == null && frame.startsWith("[\"AUTH\"")) {
          try {
            challenge = ((RelayMessage.AuthChallenge) RelayMessageJson.parse(frame)).challenge();
          } catch (MessageParseException | ClassCastException e) {
            // left for the test to see in the inbox
          }
        }
        inbox.add(frame);
      }
      if (!paused.get()) {
        webSocket.request(1);
      }
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.complete(-1);
    }
  }
}
