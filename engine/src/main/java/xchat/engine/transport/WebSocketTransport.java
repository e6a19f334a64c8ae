package xchat.engine.transport;

import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.model.ws.WebSocketRequest;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgradeResponse;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.AbruptStageTerminationException;
import org.apache.pekko.stream.AbruptTerminationException;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.AsPublisher;
import org.apache.pekko.stream.javadsl.JavaFlowSupport;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * {@link RelayTransport} over Pekko HTTP client WebSockets. Outgoing frames go through a bounded
 * {@link Source#queue(int)}; incoming frames are exposed as a {@link Flow.Publisher} whose demand
 * reaches the TCP socket, with an input buffer of a few frames.
 */
public final class WebSocketTransport implements RelayTransport {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WebSocketTransport.class);

  /**
   * @param maxFrameBytes incoming frames beyond this are dropped, reading at most this much
   * @param outgoingBufferFrames frames queued for sending before {@code send} says BUFFER_FULL
   * @param incomingBufferFrames frames read ahead of demand; small, since the consumer has its own window
   * @param infoTimeout how long a NIP-11 document may take to arrive in full
   */
  public record Settings(
      int maxFrameBytes, int outgoingBufferFrames, int incomingBufferFrames, Duration infoTimeout) {
    public static final Settings DEFAULT = new Settings(1 << 20, 256, 4, Duration.ofSeconds(10));

    public Settings {
      if (maxFrameBytes <= 0 || outgoingBufferFrames <= 0 || incomingBufferFrames <= 0) {
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
  // Pekko's stages are Scala futures, whose callbacks without an executor run on the common pool.
  private final Executor executor;

  public WebSocketTransport(ActorSystem<?> system, Settings settings) {
    this.http = Http.get(system);
    this.executor = system.executionContext();
    this.materializer = Materializer.matFromSystem(system);
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  @Override
  public CompletionStage<RelayConnection> connect(RelayUrl url) {
    int buffer = settings.incomingBufferFrames();
    Sink<Message, Pair<Flow.Publisher<String>, CompletionStage<Done>>> incoming =
        org.apache.pekko.stream.javadsl.Flow.<Message>create()
            .mapAsync(1, this::readText)
            .watchTermination((notUsed, done) -> done)
            .toMat(JavaFlowSupport.Sink.<String>asPublisher(AsPublisher.WITHOUT_FANOUT),
                (done, publisher) -> Pair.create(publisher, done))
            .addAttributes(Attributes.inputBuffer(1, buffer));
    Source<Message, BoundedSourceQueue<Message>> outgoing =
        Source.queue(settings.outgoingBufferFrames());
    org.apache.pekko.stream.javadsl.Flow<Message, Message,
        Pair<Pair<Flow.Publisher<String>, CompletionStage<Done>>, BoundedSourceQueue<Message>>> flow =
        org.apache.pekko.stream.javadsl.Flow.fromSinkAndSourceCoupledMat(incoming, outgoing, Pair::create);

    Pair<CompletionStage<WebSocketUpgradeResponse>,
        Pair<Pair<Flow.Publisher<String>, CompletionStage<Done>>, BoundedSourceQueue<Message>>> run =
        http.singleWebSocketRequest(WebSocketRequest.create(url.value()), flow, materializer);
    Flow.Publisher<String> publisher = run.second().first().first();
    CompletionStage<Done> done = run.second().first().second();
    BoundedSourceQueue<Message> queue = run.second().second();
    return run.first().thenApplyAsync(upgrade -> {
      int status = upgrade.response().status().intValue();
      if (status != 101) {
        end(queue, new UpgradeRefusedException(status));
        throw new CompletionException(new UpgradeRefusedException(status));
      }
      return new WebSocketConnection(url, publisher, queue, done, executor);
    }, executor);
  }

  private CompletionStage<String> readText(Message message) {
    if (!message.isText()) {
      return message.asBinaryMessage().getStreamedData()
          .runWith(Sink.ignore(), materializer)
          .thenApplyAsync(ignored -> RelayConnection.DROPPED_FRAME, executor);
    }
    TextMessage text = message.asTextMessage();
    int max = settings.maxFrameBytes();
    if (text.isStrict()) {
      String frame = text.getStrictText();
      return CompletableFuture.completedFuture(frame.length() > max ? RelayConnection.DROPPED_FRAME : frame);
    }
    // Reads the whole message off the wire but keeps at most max characters of it.
    return text.getStreamedText()
        .runFold(new CappedText(max), CappedText::append, materializer)
        .thenApplyAsync(CappedText::result, executor);
  }

  private static final class CappedText {
    private final StringBuilder text = new StringBuilder();
    private final int max;
    private boolean overflow;

    CappedText(int max) {
      this.max = max;
    }

    CappedText append(String chunk) {
      if (!overflow) {
        if (text.length() + chunk.length() > max) {
          overflow = true;
          text.setLength(0);
        } else {
          text.append(chunk);
        }
      }
      return this;
    }

    String result() {
      return overflow ? RelayConnection.DROPPED_FRAME : text.toString();
    }
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

  private static final class WebSocketConnection implements RelayConnection {
    private final Flow.Publisher<String> incoming;
    private final BoundedSourceQueue<Message> outgoing;
    private final CompletionStage<Void> terminated;

    WebSocketConnection(RelayUrl url, Flow.Publisher<String> incoming, BoundedSourceQueue<Message> outgoing,
        CompletionStage<Done> done, Executor executor) {
      this.incoming = incoming;
      this.outgoing = outgoing;
      this.terminated = done.handleAsync((ignored, failure) -> {
        logEnd(url, failure);
        return null;
      }, executor);
    }

    @Override
    public Flow.Publisher<String> incoming() {
      return incoming;
    }

    @Override
    public SendResult send(String frame) {
      QueueOfferResult result = outgoing.offer(TextMessage.create(frame));
      if (result.isEnqueued()) {
        return SendResult.ENQUEUED;
      }
      return result == QueueOfferResult.dropped() ? SendResult.BUFFER_FULL : SendResult.CLOSED;
    }

    @Override
    public void close() {
      end(outgoing, null);
    }

    @Override
    public void abort() {
      // Failing the outgoing side would tear the socket down at once, but Pekko HTTP logs any
      // failure of the user's flow at ERROR. Completing it sends a close frame, and Pekko drops
      // the socket itself when a relay that stopped answering does not close within its timeout.
      end(outgoing, null);
    }

    @Override
    public CompletionStage<Void> terminated() {
      return terminated;
    }
  }

  /** Completes ({@code failure == null}) or fails the outgoing side, unless it already ended. */
  private static void end(BoundedSourceQueue<Message> queue, Throwable failure) {
    if (queue.isCompleted()) {
      return;
    }
    try {
      if (failure == null) {
        queue.complete();
      } else {
        queue.fail(failure);
      }
    } catch (IllegalStateException endedMeanwhile) {
      // The stream ended between the check and the call (the relay closed, or the socket
      // failed): the connection is over either way.
    }
  }

  /**
   * A close by either side, or the engine shutting its streams down, is routine; a connection
   * that failed is worth a warning, with the relay (no query, no user info) and the cause's type.
   */
  private static void logEnd(RelayUrl url, Throwable failure) {
    if (failure == null) {
      LOG.debug("{}: connection closed", forLog(url));
    } else if (failure instanceof AbruptStageTerminationException || failure instanceof AbruptTerminationException) {
      LOG.debug("{}: connection ended with the engine's streams", forLog(url));
    } else {
      LOG.warn("{}: connection failed: {}: {}", forLog(url), failure.getClass().getSimpleName(), failure.getMessage());
    }
  }

  static String forLog(RelayUrl url) {
    URI uri = url.uri();
    return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
        + (uri.getRawPath() == null ? "" : uri.getRawPath());
  }
}
