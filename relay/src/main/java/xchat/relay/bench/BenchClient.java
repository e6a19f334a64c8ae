package xchat.relay.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** A bare WebSocket client for the benchmark: frames in order to one callback. */
final class BenchClient implements AutoCloseable {
  private final WebSocket socket;

  BenchClient(HttpClient http, String url, Consumer<String> onFrame) {
    this.socket =
        http.newWebSocketBuilder()
            .buildAsync(URI.create(url), new Listener(onFrame))
            .orTimeout(30, TimeUnit.SECONDS)
            .join();
  }

  /** Blocks while the socket cannot take more: the relay's backpressure reaches the sender. */
  void send(String frame) {
    socket.sendText(frame, true).join();
  }

  @Override
  public void close() {
    socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").exceptionally(e -> null);
    socket.abort();
  }

  private static final class Listener implements WebSocket.Listener {
    private final Consumer<String> onFrame;
    private final StringBuilder partial = new StringBuilder();

    Listener(Consumer<String> onFrame) {
      this.onFrame = onFrame;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(Long.MAX_VALUE);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String frame = partial.toString();
        partial.setLength(0);
        onFrame.accept(frame);
      }
      return null;
    }
  }
}
