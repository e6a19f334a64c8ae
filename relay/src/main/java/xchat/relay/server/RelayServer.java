package xchat.relay.server;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.nip42.AuthValidator;
import xchat.relay.blossom.BlossomConfig;
import xchat.relay.blossom.BlossomRoutes;
import xchat.relay.store.EventStore;

/**
 * An embeddable Nostr relay: Pekko HTTP WebSockets in front of a RocksDB {@link EventStore}.
 *
 * <pre>{@code
 * RelayServer relay = RelayServer.start(RelayConfig.ephemeral());
 * String url = relay.url();              // ws://127.0.0.1:PORT
 * ...
 * relay.stop().toCompletableFuture().join();
 * }</pre>
 *
 * <p>Each relay has its own actor system, so several can run in one JVM, as the tests and the
 * simulator do. {@link #stop()} is graceful: it stops accepting, closes every socket, lets the
 * store finish every queued write, and only then closes the database.
 */
public final class RelayServer {
  private static final Logger LOG = LoggerFactory.getLogger(RelayServer.class);
  private static final Duration BIND_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration CLOSE_DEADLINE = Duration.ofSeconds(3);
  private static final AtomicInteger INSTANCES = new AtomicInteger();
  private static final ContentType.WithFixedCharset NOSTR_JSON =
      MediaTypes.applicationWithFixedCharset("nostr+json", HttpCharsets.UTF_8).toContentType();

  private final RelayConfig config;
  private final ActorSystem<Void> system;
  private final EventStore store;
  private final ExecutorService queries;
  private final Path dataDir;
  private final boolean temporaryData;
  private final Set<ActorRef<ConnectionActor.Command>> connections = ConcurrentHashMap.newKeySet();
  private final AtomicLong connectionCount = new AtomicLong();
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  private volatile RelayContext context;
  private ServerBinding binding;
  private BlossomRoutes blossom;
  private Cancellable sweeper;
  private String relayUrl;
  private boolean stopping;

  private RelayServer(RelayConfig config, Path dataDir, boolean temporaryData) {
    this.config = config;
    this.dataDir = dataDir;
    this.temporaryData = temporaryData;
    this.system =
        ActorSystem.create(
            Behaviors.empty(), "xchat-relay-" + INSTANCES.incrementAndGet(), pekkoConfig());
    LiveFeed feed = new LiveFeed();
    EventStore opened;
    try {
      opened =
          EventStore.open(
              dataDir, config.durability(), () -> config.clock().millis() / 1000, feed::publish);
    } catch (RuntimeException e) {
      system.terminate();
      throw e;
    }
    this.store = opened;
    int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
    AtomicInteger threadNumber = new AtomicInteger();
    this.queries =
        Executors.newFixedThreadPool(threads, runnable -> {
          Thread thread = new Thread(runnable, "relay-query-" + threadNumber.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
    this.context = null;
    this.feedForContext = feed;
  }

  private final LiveFeed feedForContext;

  /**
   * Opens the store, binds, and returns once the relay accepts connections.
   *
   * @throws RelayStartException when the store cannot be opened or the address cannot be bound
   */
  public static RelayServer start(RelayConfig config) {
    Path dataDir;
    boolean temporary = config.dataDirectory().isEmpty();
    try {
      dataDir = temporary ? Files.createTempDirectory("xchat-relay-") : config.dataDir();
    } catch (IOException e) {
      throw new RelayStartException("cannot create a temporary data directory", e);
    }
    RelayServer server;
    try {
      server = new RelayServer(config, dataDir, temporary);
    } catch (RuntimeException e) {
      if (temporary) {
        deleteRecursively(dataDir);
      }
      throw new RelayStartException("cannot open the store in " + dataDir, e);
    }
    try {
      server.bind();
    } catch (RuntimeException e) {
      server.stop().toCompletableFuture().join();
      throw e;
    }
    return server;
  }

  private void bind() {
    try {
      binding =
          Http.get(system)
              .newServerAt(config.host(), config.port())
              .bind(withBlossom())
              .toCompletableFuture()
              .get(BIND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new RelayStartException(
          "cannot bind " + config.host() + ":" + config.port(), e.getCause() == null ? e : e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RelayStartException("interrupted while binding", e);
    }
    relayUrl = config.relayUrl() != null ? config.relayUrl() : url();
    Secp256k1 curve = Secp256k1.defaultBackend();
    context =
        new RelayContext(
            config,
            store,
            feedForContext,
            new EventAdmission(curve, config.limits(), () -> config.clock().millis() / 1000,
                relayUrl),
            new AuthValidator(relayUrl, curve),
            queries,
            new SecureRandom(),
            config.limits().messageLimits(),
            connections);
    Duration interval = config.expirySweepInterval();
    sweeper =
        system.scheduler().scheduleWithFixedDelay(interval, interval, this::sweep,
            system.executionContext());
    LOG.info("relay listening on {} (data {}, auth {})", url(), dataDir,
        config.authRequired() ? "required" : "optional");
  }

  private void sweep() {
    store.sweepExpired().whenComplete((removed, failure) -> {
      if (failure != null) {
        LOG.warn("sweeping expired events failed", failure);
      } else if (removed > 0) {
        LOG.debug("swept {} expired events", removed);
      }
    });
  }

  /** The bound TCP port (the chosen one when the config said 0). */
  public int port() {
    return binding.localAddress().getPort();
  }

  /** {@code ws://HOST:PORT}, where a wildcard host becomes 127.0.0.1. */
  public String url() {
    String host = config.host();
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      host = "127.0.0.1";
    } else if (host.contains(":") && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    return "ws://" + host + ":" + port();
  }

  /** The URL AUTH (NIP-42) and vanish (NIP-62) events must name. */
  public String relayUrl() {
    return relayUrl;
  }

  public RelayConfig config() {
    return config;
  }

  /** The store, for tests and tools that inspect what the relay holds. */
  public EventStore store() {
    return store;
  }

  /** Open WebSocket connections right now. */
  public int connectionCount() {
    return connections.size();
  }

  /** Runs the NIP-40 sweep now instead of waiting for the interval; completes with the count. */
  public CompletionStage<Integer> sweepExpiredNow() {
    return store.sweepExpired();
  }

  /**
   * Graceful stop: unbind, close every socket, let the store finish and sync every queued write,
   * close the database, stop the actor system, and delete a temporary data directory. Calling
   * it again returns the same stage.
   */
  public synchronized CompletionStage<Void> stop() {
    if (stopping) {
      return stopped;
    }
    stopping = true;
    if (sweeper != null) {
      sweeper.cancel();
    }
    CompletionStage<?> unbound =
        binding == null ? CompletableFuture.completedFuture(null) : binding.unbind();
    // Pekko's stages are Scala futures, whose callbacks without an executor run on the common
    // pool: the steps run on the system's dispatcher, and the blocking close on a thread of its own.
    Executor dispatcher = system.executionContext();
    Executor stopThread = task -> new Thread(task, "xchat-relay-stop").start();
    unbound
        .thenComposeAsync(done -> {
          connections.forEach(connection -> connection.tell(new ConnectionActor.Shutdown()));
          return binding == null
              ? CompletableFuture.completedFuture(null)
              : binding.terminate(CLOSE_DEADLINE);
        }, dispatcher)
        .handleAsync((done, failure) -> {
          if (failure != null) {
            LOG.warn("closing connections failed", failure);
          }
          return null;
        }, dispatcher)
        .thenRunAsync(this::closeEverything, stopThread)
        .whenComplete((done, failure) -> {
          if (failure != null) {
            stopped.completeExceptionally(failure);
          } else {
            stopped.complete(null);
          }
        });
    return stopped;
  }

  private void closeEverything() {
    try {
      store.close();
    } finally {
      queries.shutdown();
      try {
        if (!queries.awaitTermination(CLOSE_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
          LOG.warn("queries still running at stop");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().join();
      if (temporaryData) {
        deleteRecursively(dataDir);
      }
      LOG.info("relay stopped");
    }
  }

  // ---------------------------------------------------------------- HTTP

  private HttpResponse handle(HttpRequest request) {
    RelayContext relay = context;
    if (relay == null) {
      return HttpResponse.create().withStatus(StatusCodes.SERVICE_UNAVAILABLE);
    }
    Optional<WebSocketUpgrade> upgrade = request.getAttribute(AttributeKeys.webSocketUpgrade);
    if (upgrade.isPresent()) {
      return upgrade.get().handleMessagesWith(connectionFlow(relay));
    }
    request.discardEntityBytes(system);
    if (request.method().equals(HttpMethods.OPTIONS)) {
      return withCors(HttpResponse.create().withStatus(StatusCodes.NO_CONTENT));
    }
    if (request.method().equals(HttpMethods.GET) && acceptsRelayInformation(request)) {
      // NIP-11: the document, with CORS headers so browser clients can read it.
      return withCors(
          HttpResponse.create()
              .withEntity(HttpEntities.create(NOSTR_JSON, RelayInformation.json(config))));
    }
    return HttpResponse.create()
        .withEntity(ContentTypes.TEXT_PLAIN_UTF8,
            "xchat relay: connect a Nostr client to " + url() + "\n");
  }

  /** Blossom's paths (BUD-01/02) first; the rest, WebSockets included, go to {@link #handle}. */
  private org.apache.pekko.japi.function.Function<HttpRequest, CompletionStage<HttpResponse>>
      withBlossom() {
    blossom = BlossomRoutes.create(
        BlossomConfig.defaults(dataDir.resolve("blossom")).withClock(config.clock()), system);
    return Directives.concat(
            blossom.route(),
            Directives.extractRequest(request -> Directives.complete(handle(request))))
        .seal()
        .handler(system);
  }

  /** The Blossom file server on this relay's port, at {@code http://HOST:PORT}. */
  public BlossomRoutes blossom() {
    return blossom;
  }

  private static boolean acceptsRelayInformation(HttpRequest request) {
    for (HttpHeader header : request.getHeaders()) {
      if (header.is("accept") && header.value().contains(RelayInformation.MEDIA_TYPE)) {
        return true;
      }
    }
    return false;
  }

  private static HttpResponse withCors(HttpResponse response) {
    return response.addHeaders(List.of(
        RawHeader.create("Access-Control-Allow-Origin", "*"),
        RawHeader.create("Access-Control-Allow-Headers", "*"),
        RawHeader.create("Access-Control-Allow-Methods", "GET, OPTIONS")));
  }

  private Flow<Message, Message, NotUsed> connectionFlow(RelayContext relay) {
    RelayLimits limits = config.limits();
    OutputChannel out =
        new OutputChannel(system, limits.outputBufferMessages(), limits.outputBufferBytes(),
            config.behaviour().responseDelay());
    ActorRef<ConnectionActor.Command> connection =
        system.systemActorOf(
            ConnectionActor.create(relay, out),
            "connection-" + connectionCount.incrementAndGet(),
            Props.empty());
    connections.add(connection);
    int maxChars = limits.maxMessageBytes();
    Sink<Message, NotUsed> in =
        Flow.<Message>create()
            .flatMapConcat(message -> collect(message, maxChars))
            .to(ConnectionActor.inbound(connection, maxChars));
    return Flow.fromSinkAndSourceCoupled(in, out.source());
  }

  /**
   * Reads one client message whole, up to the limit. A longer message is read to its end and
   * dropped, so memory stays bounded and the connection stays usable. A streamed message is
   * folded inside the connection's own stream (flatMapConcat), not in a stream of its own.
   */
  private static Source<InboundFrame, NotUsed> collect(Message message, int maxChars) {
    if (message.isText()) {
      TextMessage text = message.asTextMessage();
      if (text.isStrict()) {
        String strict = text.getStrictText();
        return Source.single(
            strict.length() > maxChars
                ? new InboundFrame.TooLarge(strict.length())
                : new InboundFrame.Text(strict));
      }
      return text.getStreamedText()
          .fold(new TextCollector(maxChars), TextCollector::add)
          .map(TextCollector::result)
          .mapMaterializedValue(ignored -> NotUsed.getInstance());
    }
    return message.asBinaryMessage()
        .getStreamedData()
        .fold(0L, (count, bytes) -> count + bytes.size())
        .map(count -> (InboundFrame) new InboundFrame.Binary())
        .mapMaterializedValue(ignored -> NotUsed.getInstance());
  }

  /** Accumulates a streamed text message until it passes the limit, then only counts. */
  private static final class TextCollector {
    private final int maxChars;
    private final StringBuilder text = new StringBuilder();
    private long total;

    TextCollector(int maxChars) {
      this.maxChars = maxChars;
    }

    TextCollector add(String chunk) {
      total += chunk.length();
      if (total <= maxChars) {
        text.append(chunk);
      } else if (text.length() > 0) {
        text.setLength(0);
        text.trimToSize();
      }
      return this;
    }

    InboundFrame result() {
      return total > maxChars ? new InboundFrame.TooLarge(total) : new InboundFrame.Text(text.toString());
    }
  }

  private static Config pekkoConfig() {
    return ConfigFactory.parseString(
            String.join("\n",
                "pekko {",
                "  loggers = [\"org.apache.pekko.event.slf4j.Slf4jLogger\"]",
                "  logging-filter = \"org.apache.pekko.event.slf4j.Slf4jLoggingFilter\"",
                "  loglevel = INFO",
                "  stdout-loglevel = OFF",
                "  log-dead-letters = off",
                "  log-dead-letters-during-shutdown = off",
                "  jvm-exit-on-fatal-error = off",
                "  coordinated-shutdown.run-by-jvm-shutdown-hook = off",
                "  http.server.idle-timeout = 120 s",
                "  http.server.websocket.periodic-keep-alive-max-idle = 30 s",
                "}"))
        .withFallback(ConfigFactory.load(RelayServer.class.getClassLoader()));
  }

  private static void deleteRecursively(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + directory, e);
    }
  }
}
