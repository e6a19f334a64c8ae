package xchat.relay.server;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.nip42.AuthValidator;
import xchat.relay.store.EventStore;

/**
 * The relay without HTTP: the same {@link ConnectionActor}, {@link EventStore}, admission, NIP-42
 * and live feed as {@link RelayServer}, fed with text frames by the caller instead of WebSockets.
 * The simulator runs its relays this way over a virtual network. Nothing here opens a socket or
 * starts a thread: the actors run on the given system's dispatcher and the store writes on the
 * caller's thread ({@link EventStore#openInline}), so a seeded simulation replays exactly.
 */
public final class InProcessRelay implements AutoCloseable {

  /** Where a connection's frames go: the client's end of the virtual socket. */
  public interface ClientEnd {
    /** A frame from the relay. */
    void frame(String text);

    /** The relay ended the connection: {@code reason} when it dropped the client. */
    void closed(Optional<String> reason);
  }

  private static final int INBOUND_BUFFER = 4096;

  private final RelayConfig config;
  private final ActorSystem<?> system;
  private final EventStore store;
  private final RelayContext context;
  private final Map<Long, Connection> connections = new LinkedHashMap<>();
  private final AtomicLong counter = new AtomicLong();
  private final Cancellable sweeper;
  private boolean closed;

  private InProcessRelay(RelayConfig config, ActorSystem<?> system, EventStore store, RelayContext context) {
    this.config = config;
    this.system = system;
    this.store = store;
    this.context = context;
    Duration interval = config.expirySweepInterval();
    this.sweeper = system.scheduler().scheduleWithFixedDelay(interval, interval, store::sweepExpired,
        system.executionContext());
  }

  /**
   * Opens (creating if needed) the store in {@code dataDir}.
   *
   * @param relayUrl the URL clients know this relay by (NIP-42 AUTH, NIP-62)
   * @param queries where REQ and NEG-OPEN queries run
   * @param random AUTH challenges
   * @param stored told of each event once the store holds it, after the live feed
   */
  public static InProcessRelay open(RelayConfig config, Path dataDir, String relayUrl, ActorSystem<?> system,
      Executor queries, SecureRandom random, Secp256k1 curve, Consumer<NostrEvent> stored) {
    LiveFeed feed = new LiveFeed();
    EventStore store = EventStore.openInline(dataDir, config.durability(), () -> config.clock().millis() / 1000,
        (event, json, commitSequence) -> {
          feed.publish(event, json, commitSequence);
          stored.accept(event);
        });
    Set<ActorRef<ConnectionActor.Command>> refs = ConcurrentHashMap.newKeySet();
    RelayContext context = new RelayContext(
        config,
        store,
        feed,
        new EventAdmission(curve, config.limits(), () -> config.clock().millis() / 1000, relayUrl),
        new AuthValidator(relayUrl, curve),
        queries,
        random,
        config.limits().messageLimits(),
        refs);
    return new InProcessRelay(config, system, store, context);
  }

  /** The NIP-11 document, as {@link RelayServer} serves it. */
  public String informationDocument() {
    return RelayInformation.json(config);
  }

  public RelayConfig config() {
    return config;
  }

  public EventStore store() {
    return store;
  }

  /** Open connections right now. */
  public int connectionCount() {
    return connections.size();
  }

  /** Accepts one connection: the relay sends its NIP-42 challenge at once. */
  public Connection connect(ClientEnd client) {
    if (closed) {
      throw new IllegalStateException("the relay is closed");
    }
    long id = counter.incrementAndGet();
    RelayLimits limits = config.limits();
    OutputChannel out = new OutputChannel(system, limits.outputBufferMessages(), limits.outputBufferBytes(),
        config.behaviour().responseDelay());
    ActorRef<ConnectionActor.Command> actor =
        system.systemActorOf(ConnectionActor.create(context, out), "connection-" + id, Props.empty());
    context.connections().add(actor);
    BoundedSourceQueue<InboundFrame> inbound = Source.<InboundFrame>queue(INBOUND_BUFFER)
        .to(ConnectionActor.inbound(actor, config.limits().maxMessageBytes()))
        .run(system);
    Connection connection = new Connection(id, actor, inbound, client);
    connections.put(id, connection);
    out.source()
        .runWith(Sink.<Message>foreach(message -> client.frame(message.asTextMessage().getStrictText())), system)
        // Sink.foreach's stage is Scala's: without an executor its callbacks run on the common pool.
        .whenCompleteAsync((done, failure) -> connection.ended(failure), system.executionContext());
    return connection;
  }

  /** Runs the NIP-40 sweep now; completes with how many events it removed. */
  public CompletionStage<Integer> sweepExpired() {
    return store.sweepExpired();
  }

  /** Closes every connection normally, then the store. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    sweeper.cancel();
    for (Connection connection : new ArrayList<>(connections.values())) {
      connection.actor.tell(new ConnectionActor.Shutdown());
    }
    store.close();
  }

  /**
   * What a crash leaves: the store is closed with what was written, and nothing else happens here.
   * The caller drops the relay's actors and tells each client its socket broke.
   */
  public void abandon() {
    if (closed) {
      return;
    }
    closed = true;
    sweeper.cancel();
    store.close();
  }

  /** Every open connection, oldest first. */
  public List<Connection> connections() {
    return List.copyOf(connections.values());
  }

  /** The relay's end of one virtual socket. */
  public final class Connection {
    private final long id;
    private final ActorRef<ConnectionActor.Command> actor;
    private final BoundedSourceQueue<InboundFrame> inbound;
    private final ClientEnd client;
    private boolean ended;

    private Connection(long id, ActorRef<ConnectionActor.Command> actor, BoundedSourceQueue<InboundFrame> inbound,
        ClientEnd client) {
      this.id = id;
      this.actor = actor;
      this.inbound = inbound;
      this.client = client;
    }

    public long id() {
      return id;
    }

    /**
     * A frame from the client. False when the relay cannot take it (its inbound buffer is full or
     * the connection ended); the caller should treat the socket as broken.
     */
    public boolean receive(String text) {
      if (ended) {
        return false;
      }
      InboundFrame frame = text.length() > config.limits().maxMessageBytes()
          ? new InboundFrame.TooLarge(text.length())
          : new InboundFrame.Text(text);
      return inbound.offer(frame) == QueueOfferResult.enqueued();
    }

    /** The client went away: the relay ends the connection as when a socket closes. */
    public void close() {
      if (!inbound.isCompleted()) {
        inbound.complete();
      }
    }

    private void ended(Throwable failure) {
      if (!inbound.isCompleted()) {
        inbound.complete();
      }
      connections.remove(id);
      if (ended) {
        return;
      }
      ended = true;
      client.closed(failure == null ? Optional.empty() : Optional.of(String.valueOf(failure.getMessage())));
    }
  }
}
