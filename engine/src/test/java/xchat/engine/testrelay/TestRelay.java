package xchat.engine.testrelay;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.http.javadsl.model.ws.TextMessage;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.event.EventId;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.filter.Filter;
import xchat.protocol.hex.Hex;
import xchat.protocol.message.ClientMessage;
import xchat.protocol.message.ClientMessageJson;
import xchat.protocol.message.MessageParseException;
import xchat.protocol.message.RelayMessage;
import xchat.protocol.nip42.AuthValidation;
import xchat.protocol.nip42.AuthValidator;
import xchat.protocol.nip77.Item;
import xchat.protocol.nip77.Negentropy;
import xchat.protocol.nip77.SortedVectorStorage;

/**
 * A small Nostr relay on loopback for tests, honest by default, that each test can tell to
 * misbehave: drop the connection mid-REQ, delay, demand AUTH, lie about storing, send garbage,
 * flood, go silent, refuse connections, or claim NIP-77 and fail it.
 */
public final class TestRelay implements AutoCloseable {

  // ---- Scriptable behaviour (set by tests at any time) ----
  public volatile String infoJson = "{\"name\":\"test\",\"supported_nips\":[1,11,42]}";
  public volatile boolean serveInfo = true;
  public volatile boolean authRequired;
  public volatile boolean refuseAuth;
  /** Connections that get no AUTH challenge (as if the frame were lost), counted down. */
  public final AtomicInteger challengesToDrop = new AtomicInteger();
  public volatile boolean lieAboutStoring;
  public volatile boolean garbageBeforeEachFrame;
  public volatile boolean silent;
  public volatile boolean refuseUpgrade;
  public volatile boolean closeRightAfterConnect;
  public volatile boolean negentropyBroken;
  public volatile Duration delay = Duration.ZERO;
  /** Events sent before the connection is dropped, on the next REQ that matches this many; -1 for never. */
  public volatile int dropAfterEventsOnReq = -1;
  /** Stored at the moment of that drop, as events that reach the relay while a client is away. */
  public volatile List<NostrEvent> storeOnDrop = List.of();
  /** Replies to EVENTs, consumed one per EVENT before normal handling, e.g. "rate-limited: slow". */
  public final ArrayDeque<String> scriptedRefusals = new ArrayDeque<>();
  /** Replies to REQs, consumed one per REQ before normal handling, e.g. "error: busy". */
  public final ArrayDeque<String> scriptedClosed = new ArrayDeque<>();
  /** Events pushed after EOSE to any subscription whose filters match them, in order, backpressured. */
  public volatile List<NostrEvent> floodOnReq = List.of();

  // ---- Observations ----
  public final AtomicInteger connections = new AtomicInteger();
  public final List<Long> connectionTimesNanos = new CopyOnWriteArrayList<>();
  public final List<ClientMessage> received = new CopyOnWriteArrayList<>();
  public final AtomicInteger maxConcurrentSubscriptions = new AtomicInteger();
  public final AtomicInteger eventMessages = new AtomicInteger();

  private final ActorSystem<Void> system;
  private final Materializer materializer;
  private final Secp256k1 curve;
  private final Map<EventId, NostrEvent> stored = new LinkedHashMap<>();
  private final List<Conn> open = new CopyOnWriteArrayList<>();
  private volatile ServerBinding binding;
  private int port;

  private TestRelay(Secp256k1 curve) {
    this.system = ActorSystem.create(Behaviors.empty(), "test-relay");
    this.materializer = Materializer.matFromSystem(system);
    this.curve = curve;
  }

  public static TestRelay start(Secp256k1 curve) {
    TestRelay relay = new TestRelay(curve);
    relay.bind(0);
    return relay;
  }

  public String url() {
    return "ws://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  private void bind(int requestedPort) {
    binding = join(Http.get(system).newServerAt("127.0.0.1", requestedPort)
        .bindSync(this::handle));
    port = binding.localAddress().getPort();
  }

  /** Stops listening and drops every connection, as a crashed relay would. */
  public void stop() {
    ServerBinding current = binding;
    binding = null;
    if (current != null) {
      join(current.unbind());
    }
    for (Conn conn : open) {
      conn.drop();
    }
  }

  /** Listens again on the same port, keeping what it stored (unless told to forget). */
  public void restart() {
    bind(port);
  }

  public synchronized void forget(EventId id) {
    stored.remove(id);
  }

  public synchronized void store(NostrEvent event) {
    stored.put(event.id(), event);
  }

  public synchronized boolean has(EventId id) {
    return stored.containsKey(id);
  }

  public synchronized int storedCount() {
    return stored.size();
  }

  public int openConnections() {
    return open.size();
  }

  /** Drops every open connection without stopping the listener. */
  public void dropConnections() {
    for (Conn conn : open) {
      conn.drop();
    }
  }

  public void pushToAll(String frame) {
    for (Conn conn : open) {
      conn.send(frame);
    }
  }

  @Override
  public void close() {
    stop();
    system.terminate();
    join(system.getWhenTerminated());
  }

  private static <T> T join(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("test relay operation failed", e);
    }
  }

  // ---- HTTP ----

  private HttpResponse handle(HttpRequest request) {
    WebSocketUpgrade upgrade = request.getAttribute(AttributeKeys.webSocketUpgrade).orElse(null);
    if (upgrade == null) {
      boolean wantsInfo = request.getHeader("Accept")
          .map(h -> h.value().contains("application/nostr+json")).orElse(false);
      if (wantsInfo && serveInfo) {
        return HttpResponse.create().withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, infoJson));
      }
      return HttpResponse.create().withStatus(StatusCodes.NOT_FOUND);
    }
    if (refuseUpgrade) {
      return HttpResponse.create().withStatus(StatusCodes.SERVICE_UNAVAILABLE);
    }
    connections.incrementAndGet();
    connectionTimesNanos.add(System.nanoTime());
    Pair<BoundedSourceQueue<Source<Message, NotUsed>>, Source<Message, NotUsed>> out =
        Source.<Source<Message, NotUsed>>queue(100_000)
            .flatMapConcat(s -> s)
            .preMaterialize(materializer);
    Conn conn = new Conn(out.first());
    open.add(conn);
    Sink<Message, CompletionStage<org.apache.pekko.Done>> in =
        org.apache.pekko.stream.javadsl.Flow.<Message>create()
            .mapAsync(1, m -> m.isText()
                ? m.asTextMessage().toStrict(5000, materializer).thenApply(t -> t.getStrictText())
                : CompletableFuture.completedFuture(""))
            .toMat(Sink.foreach(conn::onFrame), org.apache.pekko.stream.javadsl.Keep.right());
    HttpResponse response = upgrade.handleMessagesWith(
        in.mapMaterializedValue(done -> {
          done.whenComplete((d, e) -> conn.closed());
          return NotUsed.getInstance();
        }),
        out.second());
    conn.afterConnect();
    return response;
  }

  // ---- One connection ----

  private final class Conn {
    private final BoundedSourceQueue<Source<Message, NotUsed>> out;
    private final Map<String, List<Filter>> subscriptions = new HashMap<>();
    private final Map<String, Negentropy> negentropy = new HashMap<>();
    private final String challenge = "challenge-" + System.nanoTime();
    private final AuthValidator validator;
    private boolean authenticated;

    Conn(BoundedSourceQueue<Source<Message, NotUsed>> out) {
      this.out = out;
      this.validator = new AuthValidator(url(), curve);
    }

    void afterConnect() {
      if (closeRightAfterConnect) {
        drop();
        return;
      }
      if (authRequired && challengesToDrop.getAndUpdate(n -> Math.max(0, n - 1)) == 0) {
        send(new RelayMessage.AuthChallenge(challenge).toJson());
      }
    }

    void drop() {
      open.remove(this);
      try {
        out.fail(new IllegalStateException("dropped by the test relay"));
      } catch (IllegalStateException alreadyEnded) {
        // The connection ended on its own meanwhile: there is nothing left to drop.
      }
    }

    void closed() {
      open.remove(this);
    }

    void send(String frame) {
      if (silent) {
        return;
      }
      if (delay.isZero()) {
        offer(frame);
      } else {
        system.scheduler().scheduleOnce(delay, () -> offer(frame), system.executionContext());
      }
    }

    private void offer(String frame) {
      if (garbageBeforeEachFrame) {
        out.offer(Source.single(TextMessage.create("[\"EVENT\", {not json")));
      }
      out.offer(Source.single(TextMessage.create(frame)));
    }

    void onFrame(String frame) {
      ClientMessage message;
      try {
        message = ClientMessageJson.parse(frame);
      } catch (MessageParseException e) {
        send(new RelayMessage.Notice("could not parse: " + e.reason()).toJson());
        return;
      }
      received.add(message);
      if (silent) {
        return;
      }
      synchronized (TestRelay.this) {
        if (message instanceof ClientMessage.EventMessage m) {
          onEvent(m.event());
        } else if (message instanceof ClientMessage.Req m) {
          onReq(m);
        } else if (message instanceof ClientMessage.Close m) {
          subscriptions.remove(m.subscriptionId());
        } else if (message instanceof ClientMessage.Auth m) {
          onAuth(m.event());
        } else if (message instanceof ClientMessage.NegOpen m) {
          onNegOpen(m);
        } else if (message instanceof ClientMessage.NegMsg m) {
          onNegMsg(m);
        } else if (message instanceof ClientMessage.NegClose m) {
          negentropy.remove(m.subscriptionId());
        }
      }
    }

    private void onAuth(NostrEvent event) {
      if (refuseAuth) {
        send(new RelayMessage.Ok(event.id(), false, "restricted: you are not welcome").toJson());
        return;
      }
      AuthValidation result = validator.validate(event, challenge, System.currentTimeMillis() / 1000);
      authenticated = result instanceof AuthValidation.Valid;
      send(new RelayMessage.Ok(event.id(), authenticated,
          authenticated ? "" : "invalid: " + ((AuthValidation.Invalid) result).reason()).toJson());
    }

    private void onEvent(NostrEvent event) {
      eventMessages.incrementAndGet();
      if (authRequired && !authenticated) {
        send(new RelayMessage.Ok(event.id(), false, "auth-required: authenticate first").toJson());
        return;
      }
      String scripted = scriptedRefusals.poll();
      if (scripted != null) {
        send(new RelayMessage.Ok(event.id(), false, scripted).toJson());
        return;
      }
      if (!event.hasValidSignature(curve)) {
        send(new RelayMessage.Ok(event.id(), false, "invalid: bad signature").toJson());
        return;
      }
      if (stored.containsKey(event.id())) {
        send(new RelayMessage.Ok(event.id(), false, "duplicate: already have it").toJson());
        return;
      }
      if (!lieAboutStoring) {
        stored.put(event.id(), event);
      }
      send(new RelayMessage.Ok(event.id(), true, "").toJson());
      if (!lieAboutStoring) {
        for (Conn conn : open) {
          conn.fanOut(event);
        }
      }
    }

    private void fanOut(NostrEvent event) {
      for (Map.Entry<String, List<Filter>> sub : subscriptions.entrySet()) {
        if (Filter.anyMatch(sub.getValue(), event)) {
          send(new RelayMessage.EventMessage(sub.getKey(), event).toJson());
        }
      }
    }

    private void onReq(ClientMessage.Req m) {
      if (authRequired && !authenticated) {
        send(new RelayMessage.Closed(m.subscriptionId(), "auth-required: authenticate first").toJson());
        return;
      }
      String closed = m.subscriptionId().startsWith("xchat-") ? null : scriptedClosed.poll();
      if (closed != null) {
        send(new RelayMessage.Closed(m.subscriptionId(), closed).toJson());
        return;
      }
      subscriptions.put(m.subscriptionId(), m.filters());
      maxConcurrentSubscriptions.accumulateAndGet(subscriptions.size(), Math::max);
      List<NostrEvent> matching = query(m.filters());
      int dropAfter = dropAfterEventsOnReq;
      if (dropAfter >= 0 && matching.size() > dropAfter) {
        dropAfterEventsOnReq = -1;
        for (NostrEvent event : matching.subList(0, dropAfter)) {
          send(new RelayMessage.EventMessage(m.subscriptionId(), event).toJson());
        }
        drop();
        storeOnDrop.forEach(TestRelay.this::store);
        return;
      }
      for (NostrEvent event : matching) {
        send(new RelayMessage.EventMessage(m.subscriptionId(), event).toJson());
      }
      send(new RelayMessage.Eose(m.subscriptionId()).toJson());
      List<NostrEvent> flood = floodOnReq;
      if (!flood.isEmpty() && !silent) {
        List<NostrEvent> matchingFlood = new ArrayList<>();
        for (NostrEvent event : flood) {
          if (Filter.anyMatch(m.filters(), event)) {
            matchingFlood.add(event);
          }
        }
        String subId = m.subscriptionId();
        out.offer(Source.from(matchingFlood)
            .map(e -> (Message) TextMessage.create(new RelayMessage.EventMessage(subId, e).toJson())));
      }
    }

    /** NIP-01: newest first, each filter's limit applied to its own matches. */
    private List<NostrEvent> query(List<Filter> filters) {
      Set<NostrEvent> result = new HashSet<>();
      for (Filter filter : filters) {
        List<NostrEvent> matches = new ArrayList<>();
        for (NostrEvent event : stored.values()) {
          if (filter.matches(event)) {
            matches.add(event);
          }
        }
        matches.sort(NEWEST_FIRST);
        if (filter.limit().isPresent()) {
          matches = matches.subList(0, Math.min(matches.size(), filter.limit().getAsInt()));
        }
        result.addAll(matches);
      }
      List<NostrEvent> sorted = new ArrayList<>(result);
      sorted.sort(NEWEST_FIRST);
      return sorted;
    }

    private void onNegOpen(ClientMessage.NegOpen m) {
      if (negentropyBroken) {
        send(new RelayMessage.NegErr(m.subscriptionId(), "error: negentropy is broken here").toJson());
        return;
      }
      List<Item> items = new ArrayList<>();
      for (NostrEvent event : stored.values()) {
        if (m.filter().matches(event)) {
          items.add(new Item(event.createdAt(), event.id().bytes()));
        }
      }
      Negentropy session = new Negentropy(SortedVectorStorage.of(items));
      negentropy.put(m.subscriptionId(), session);
      reply(m.subscriptionId(), session, m.initialMessageHex());
    }

    private void onNegMsg(ClientMessage.NegMsg m) {
      Negentropy session = negentropy.get(m.subscriptionId());
      if (session == null) {
        send(new RelayMessage.NegErr(m.subscriptionId(), "closed: no such session").toJson());
        return;
      }
      reply(m.subscriptionId(), session, m.messageHex());
    }

    private void reply(String subId, Negentropy session, String hex) {
      byte[] answer = session.reconcile(Hex.decode(hex));
      send(new RelayMessage.NegMsg(subId, Hex.encode(answer)).toJson());
    }
  }

  private static final Comparator<NostrEvent> NEWEST_FIRST =
      Comparator.comparingLong(NostrEvent::createdAt).reversed()
          .thenComparing(NostrEvent::id);
}
