package xchat.relay.server;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.typed.javadsl.ActorSink;
import xchat.protocol.event.EventId;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.filter.Filter;
import xchat.protocol.hex.Hex;
import xchat.protocol.keys.PublicKey;
import xchat.protocol.message.ClientMessage;
import xchat.protocol.message.ClientMessageJson;
import xchat.protocol.message.MessageParseException;
import xchat.protocol.message.OkPrefix;
import xchat.protocol.message.RelayMessage;
import xchat.protocol.nip42.AuthValidation;
import xchat.protocol.nip59.GiftWrap;
import xchat.protocol.nip77.Negentropy;
import xchat.protocol.nip77.NegentropyException;
import xchat.protocol.nip77.NegentropyMessage;
import xchat.relay.policy.EventDecision;
import xchat.relay.store.Access;
import xchat.relay.store.NegentropyItems;
import xchat.relay.store.QueryResult;
import xchat.relay.store.StoredEvent;
import xchat.relay.store.WriteOutcome;

/**
 * Owns one client WebSocket: parses its frames, answers them, and delivers live events to its
 * subscriptions. Client frames arrive with backpressure: the next one is read only after this
 * actor acknowledges the last, which it withholds while too many of the client's writes are in
 * the store or while frames wait for the client to read. Stored results of a REQ are released as
 * the socket drains; everything else that waits is counted, and a client that falls further
 * behind than the output limits is dropped.
 */
final class ConnectionActor extends AbstractBehavior<ConnectionActor.Command> {

  sealed interface Command {}

  /** The inbound stream is ready; acknowledge to receive the first frame. */
  record StreamStarted(ActorRef<Ack> ackTo) implements Command {}

  /**
   * Client frames that arrived while the last batch was being handled, in order; acknowledge to
   * receive the next batch. Batching saves a hand-off between stream and actor per frame.
   */
  record FramesArrived(List<InboundFrame> frames, ActorRef<Ack> ackTo) implements Command {}

  /** The client closed the socket. */
  record StreamEnded() implements Command {}

  /** The socket failed. */
  record StreamFailed(Throwable cause) implements Command {}

  /** The relay is stopping: close the socket normally. */
  record Shutdown() implements Command {}

  /** The acknowledgement the inbound stream waits for. */
  enum Ack {
    INSTANCE
  }

  private record Live(LiveFeed.LiveEvent live) implements Command {}

  private record Written(EventId id, WriteOutcome outcome, Throwable failure)
      implements Command {}

  private record QueryAnswered(
      String subscriptionId, long generation, QueryResult result, Throwable failure)
      implements Command {}

  private record NegentropyPrepared(
      String subscriptionId, long generation, NegentropyItems items, Throwable failure)
      implements Command {}

  private record OutputDrained() implements Command {}

  /** Thrown into the outbound stream to drop the connection. */
  static final class Dropped extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Dropped(String reason) {
      super(reason, null, false, false);
    }
  }

  private static final class Subscription {
    final List<Filter> filters;
    final long generation;
    boolean live;
    // A live event committed at or before the backfill's snapshot may have been sent by the
    // backfill: it is skipped if its id was. Not every such event was (a filter's limit, a
    // limit of 0), so the sequence alone cannot decide. The ids are dropped once a later commit
    // shows up: the store announces commits in order.
    long backfillSnapshot = -1;
    Set<EventId> backfilled = Set.of();
    List<LiveFeed.LiveEvent> buffered = new ArrayList<>();

    boolean sentByBackfill(LiveFeed.LiveEvent event) {
      if (event.commitSequence() == LiveFeed.NOT_STORED) {
        return false;
      }
      if (event.commitSequence() > backfillSnapshot) {
        backfilled = Set.of();
        return false;
      }
      return backfilled.contains(event.event().id());
    }

    Subscription(List<Filter> filters, long generation) {
      this.filters = filters;
      this.generation = generation;
    }
  }

  private static final class NegentropySession {
    final long generation;
    final byte[] initialMessage;
    Negentropy negentropy;

    NegentropySession(long generation, byte[] initialMessage) {
      this.generation = generation;
      this.initialMessage = initialMessage;
    }
  }

  /** A frame that waits for the socket. */
  private sealed interface Pending {}

  /** Built already; {@code counted} towards the output limits. */
  private record Ready(String frame, boolean counted) implements Pending {}

  /**
   * A stored REQ result, framed only when it leaves, so a backlog holds each event's bytes once.
   * Bounded by the REQ limits, so never counted.
   */
  private record Stored(byte[] head, StoredEvent event) implements Pending {}

  private final RelayContext relay;
  private final RelayLimits limits;
  private final OutputChannel out;
  private final String challenge;
  private final Set<PublicKey> authenticated = new LinkedHashSet<>();
  private final Map<String, Subscription> subscriptions = new HashMap<>();
  private final Map<String, NegentropySession> negentropy = new HashMap<>();
  private final TokenBucket eventBucket;
  private final TokenBucket reqBucket;
  private final ArrayDeque<Pending> pendingOut = new ArrayDeque<>();
  private final Consumer<LiveFeed.LiveEvent> feedListener;
  private final int dropAfterFrames;
  private long pendingCountedChars;
  private int pendingCountedFrames;
  private boolean drainRequested;
  private boolean onFeed;
  private long generations;
  private long framesReceived;
  private int pendingWrites;
  private ActorRef<Ack> heldAck;
  private boolean closed;

  static Behavior<Command> create(RelayContext relay, OutputChannel out) {
    return Behaviors.setup(context -> new ConnectionActor(context, relay, out));
  }

  /**
   * Where a connection's inbound frames go: frames that arrive while the actor is busy travel
   * together, up to two full-size messages' worth, so memory per connection stays bounded.
   */
  static Sink<InboundFrame, NotUsed> inbound(ActorRef<Command> actor, long maxMessageChars) {
    return Flow.<InboundFrame>create()
        .batchWeighted(
            2L * maxMessageChars,
            InboundFrame::weight,
            frame -> {
              List<InboundFrame> frames = new ArrayList<>();
              frames.add(frame);
              return frames;
            },
            (frames, frame) -> {
              frames.add(frame);
              return frames;
            })
        .to(ActorSink.actorRefWithBackpressure(
            actor,
            (ActorRef<Ack> ackTo, List<InboundFrame> frames) -> new FramesArrived(frames, ackTo),
            StreamStarted::new,
            Ack.INSTANCE,
            new StreamEnded(),
            StreamFailed::new));
  }

  private ConnectionActor(ActorContext<Command> context, RelayContext relay, OutputChannel out) {
    super(context);
    this.relay = relay;
    this.limits = relay.config().limits();
    this.out = out;
    this.dropAfterFrames = relay.config().behaviour().dropConnectionAfterFrames();
    byte[] nonce = new byte[16];
    relay.random().nextBytes(nonce);
    this.challenge = Hex.encode(nonce);
    this.eventBucket = new TokenBucket(limits.eventRate(), relay.config().clock()::millis);
    this.reqBucket = new TokenBucket(limits.reqRate(), relay.config().clock()::millis);
    ActorRef<Command> self = context.getSelf();
    this.feedListener = live -> self.tell(new Live(live));
    out.onDrained(() -> self.tell(new OutputDrained()));
    // NIP-42: every connection gets a challenge, whether or not AUTH is required.
    send(new RelayMessage.AuthChallenge(challenge).toJson(), true);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(StreamStarted.class, started -> onStreamStarted(started.ackTo()))
        .onMessage(FramesArrived.class, this::onFramesArrived)
        .onMessage(Live.class, live -> onLive(live.live()))
        .onMessage(Written.class, this::onWritten)
        .onMessage(QueryAnswered.class, this::onQueryAnswered)
        .onMessage(NegentropyPrepared.class, this::onNegentropyPrepared)
        .onMessage(OutputDrained.class, drained -> onOutputDrained())
        .onMessage(StreamEnded.class, ended -> Behaviors.stopped())
        .onMessage(StreamFailed.class, failed -> Behaviors.stopped())
        .onMessage(Shutdown.class, shutdown -> onShutdown())
        .onSignal(PostStop.class, stop -> onPostStop())
        .build();
  }

  private Behavior<Command> onStreamStarted(ActorRef<Ack> ackTo) {
    ackTo.tell(Ack.INSTANCE);
    return this;
  }

  private Behavior<Command> onFramesArrived(FramesArrived arrived) {
    for (InboundFrame frame : arrived.frames()) {
      framesReceived++;
      if (dropAfterFrames > 0 && framesReceived >= dropAfterFrames) {
        return drop("misbehaviour: dropped after " + framesReceived + " frames");
      }
      if (frame instanceof InboundFrame.Text text) {
        onText(text.text());
      } else if (frame instanceof InboundFrame.TooLarge) {
        notice(OkPrefix.INVALID, "message exceeds " + limits.maxMessageBytes() + " bytes");
      } else {
        notice(OkPrefix.INVALID, "binary messages are not part of Nostr");
      }
      if (closed) {
        return Behaviors.stopped();
      }
    }
    heldAck = arrived.ackTo();
    releaseAckIfReady();
    return this;
  }

  private void onText(String text) {
    ClientMessage message;
    try {
      message = ClientMessageJson.parse(text, relay.messageLimits());
    } catch (MessageParseException e) {
      onMalformed(e, text);
      return;
    }
    if (message instanceof ClientMessage.EventMessage m) {
      onEvent(m.event());
    } else if (message instanceof ClientMessage.Req m) {
      onReq(m.subscriptionId(), m.filters());
    } else if (message instanceof ClientMessage.Close m) {
      subscriptions.remove(m.subscriptionId());
      updateFeedRegistration();
    } else if (message instanceof ClientMessage.Auth m) {
      onAuth(m.event());
    } else if (message instanceof ClientMessage.Count m) {
      sendClosed(m.subscriptionId(), OkPrefix.UNSUPPORTED, "COUNT (NIP-45) is not supported");
    } else if (message instanceof ClientMessage.NegOpen m) {
      onNegOpen(m.subscriptionId(), m.filter(), m.initialMessageHex());
    } else if (message instanceof ClientMessage.NegMsg m) {
      onNegMsg(m.subscriptionId(), m.messageHex());
    } else if (message instanceof ClientMessage.NegClose m) {
      negentropy.remove(m.subscriptionId());
    }
  }

  // ---------------------------------------------------------------- EVENT and AUTH

  private void onEvent(NostrEvent event) {
    if (!eventBucket.tryTake()) {
      sendOk(event.id(), false, OkPrefix.format(OkPrefix.RATE_LIMITED, "slow down"));
      return;
    }
    if (relay.config().authRequired() && authenticated.isEmpty()) {
      sendOk(event.id(), false,
          OkPrefix.format(OkPrefix.AUTH_REQUIRED, "this relay accepts events after AUTH"));
      return;
    }
    Optional<String> refusal = relay.admission().check(event);
    if (refusal.isPresent()) {
      sendOk(event.id(), false, refusal.get());
      return;
    }
    EventDecision decision = relay.config().behaviour().onEvent(event);
    if (decision instanceof EventDecision.AcknowledgeWithoutStoring) {
      sendOk(event.id(), true, "");
    } else if (decision instanceof EventDecision.Refuse refuse) {
      sendOk(event.id(), false, OkPrefix.format(refuse.prefix(), refuse.text()));
    } else if (event.isEphemeral()) {
      // NIP-01: ephemeral events are delivered to current subscribers and never stored.
      relay.feed().publish(event, LiveFeed.NOT_STORED);
      sendOk(event.id(), true, "");
    } else {
      pendingWrites++;
      EventId id = event.id();
      getContext().pipeToSelf(
          relay.store().submit(event), (outcome, failure) -> new Written(id, outcome, failure));
    }
  }

  private Behavior<Command> onWritten(Written written) {
    pendingWrites--;
    if (written.failure() != null) {
      getContext().getLog().warn("store failed for event {}", written.id(), written.failure());
      sendOk(written.id(), false, OkPrefix.format(OkPrefix.ERROR, "could not store the event"));
    } else {
      sendOk(written.id(), written.outcome().accepted(), written.outcome().message());
    }
    releaseAckIfReady();
    return next();
  }

  private void onAuth(NostrEvent event) {
    AuthValidation result =
        relay.authValidator().validate(event, challenge, relay.nowSeconds());
    if (result instanceof AuthValidation.Valid valid) {
      authenticated.add(valid.pubkey());
      sendOk(event.id(), true, "");
    } else {
      AuthValidation.Reason reason = ((AuthValidation.Invalid) result).reason();
      sendOk(event.id(), false,
          OkPrefix.format(OkPrefix.INVALID, "AUTH refused: " + describe(reason.name())));
    }
  }

  // ---------------------------------------------------------------- REQ

  private void onReq(String id, List<Filter> filters) {
    if (!reqBucket.tryTake()) {
      sendClosed(id, OkPrefix.RATE_LIMITED, "too many subscriptions opened too fast");
      return;
    }
    if (relay.config().authRequired() && authenticated.isEmpty()) {
      sendClosed(id, OkPrefix.AUTH_REQUIRED, "this relay serves subscriptions after AUTH");
      return;
    }
    if (!subscriptions.containsKey(id) && subscriptions.size() >= limits.maxSubscriptions()) {
      sendClosed(id, OkPrefix.BLOCKED,
          "more than " + limits.maxSubscriptions() + " open subscriptions");
      return;
    }
    if (authenticated.isEmpty() && asksOnlyForGiftWraps(filters)) {
      sendClosed(id, OkPrefix.AUTH_REQUIRED, "gift wraps are served to their recipient after AUTH");
      return;
    }
    Subscription subscription = new Subscription(filters, ++generations);
    subscriptions.put(id, subscription);
    updateFeedRegistration();
    boolean nothingStored = filters.stream().allMatch(f -> f.limit().orElse(1) == 0);
    if (nothingStored) {
      finishBackfill(id, subscription, new QueryResult(List.of(), -1));
      return;
    }
    Access access = access();
    long generation = subscription.generation;
    CompletableFuture<QueryResult> query =
        CompletableFuture.supplyAsync(
            () -> relay.store().querySnapshot(
                filters, access, limits.defaultLimit(), limits.maxLimit()),
            relay.queries());
    getContext().pipeToSelf(
        query, (result, failure) -> new QueryAnswered(id, generation, result, failure));
  }

  private Behavior<Command> onQueryAnswered(QueryAnswered answer) {
    Subscription subscription = subscriptions.get(answer.subscriptionId());
    if (subscription == null || subscription.generation != answer.generation()) {
      return this; // closed or replaced meanwhile
    }
    if (answer.failure() != null) {
      getContext().getLog().warn("query failed", answer.failure());
      subscriptions.remove(answer.subscriptionId());
      updateFeedRegistration();
      sendClosed(answer.subscriptionId(), OkPrefix.ERROR, "the query failed");
      return this;
    }
    finishBackfill(answer.subscriptionId(), subscription, answer.result());
    return next();
  }

  private void finishBackfill(String id, Subscription subscription, QueryResult stored) {
    Set<EventId> sent = new HashSet<>();
    if (!stored.events().isEmpty()) {
      byte[] head = Frames.eventHead(id);
      for (StoredEvent event : stored.events()) {
        sendStored(head, event);
        sent.add(event.id());
      }
    }
    send(new RelayMessage.Eose(id).toJson(), true);
    subscription.live = true;
    subscription.backfillSnapshot = stored.snapshotSequence();
    subscription.backfilled = sent;
    for (LiveFeed.LiveEvent live : subscription.buffered) {
      if (!subscription.sentByBackfill(live)) {
        send(Frames.event(id, live.json()), true);
      }
    }
    subscription.buffered = null;
  }

  private Behavior<Command> onLive(LiveFeed.LiveEvent live) {
    NostrEvent event = live.event();
    boolean visible = access().maySee(event);
    if (!visible) {
      return this;
    }
    for (Map.Entry<String, Subscription> entry : List.copyOf(subscriptions.entrySet())) {
      Subscription subscription = entry.getValue();
      if (!Filter.anyMatch(subscription.filters, event)) {
        continue;
      }
      if (subscription.live) {
        if (!subscription.sentByBackfill(live)) {
          send(Frames.event(entry.getKey(), live.json()), true);
        }
      } else if (subscription.buffered.size() < limits.maxLimit()) {
        subscription.buffered.add(live);
      } else {
        subscriptions.remove(entry.getKey());
        sendClosed(entry.getKey(), OkPrefix.ERROR,
            "too many new events while stored ones were loading");
      }
    }
    updateFeedRegistration();
    return next();
  }

  /** True when every filter names only kind 1059, which an anonymous reader can never see. */
  private static boolean asksOnlyForGiftWraps(List<Filter> filters) {
    for (Filter filter : filters) {
      Optional<Set<Integer>> kinds = filter.kinds();
      if (kinds.isEmpty() || !kinds.get().equals(Set.of(GiftWrap.WRAP_KIND))) {
        return false;
      }
    }
    return true;
  }

  private void updateFeedRegistration() {
    boolean wanted = !subscriptions.isEmpty();
    if (wanted && !onFeed) {
      relay.feed().register(feedListener);
    } else if (!wanted && onFeed) {
      relay.feed().unregister(feedListener);
    }
    onFeed = wanted;
  }

  private Access access() {
    return new Access(authenticated);
  }

  // ---------------------------------------------------------------- NIP-77

  private void onNegOpen(String id, Filter filter, String initialHex) {
    if (!reqBucket.tryTake()) {
      sendNegErr(id, OkPrefix.RATE_LIMITED, "too many requests");
      return;
    }
    if (relay.config().authRequired() && authenticated.isEmpty()) {
      sendNegErr(id, OkPrefix.AUTH_REQUIRED, "this relay serves sync after AUTH");
      return;
    }
    negentropy.remove(id);
    if (negentropy.size() >= limits.maxNegentropySessions()) {
      sendNegErr(id, OkPrefix.BLOCKED,
          "more than " + limits.maxNegentropySessions() + " open negentropy sessions");
      return;
    }
    if (authenticated.isEmpty() && asksOnlyForGiftWraps(List.of(filter))) {
      sendNegErr(id, OkPrefix.AUTH_REQUIRED, "gift wraps are served to their recipient after AUTH");
      return;
    }
    byte[] initial;
    try {
      initial = NegentropyMessage.decodeHex(initialHex);
    } catch (NegentropyException e) {
      sendNegErr(id, OkPrefix.INVALID, "malformed negentropy message: " + e.reason());
      return;
    }
    NegentropySession session = new NegentropySession(++generations, initial);
    negentropy.put(id, session);
    Access access = access();
    long generation = session.generation;
    CompletableFuture<NegentropyItems> items =
        CompletableFuture.supplyAsync(
            () -> relay.store().negentropyItems(filter, access, limits.maxNegentropyItems()),
            relay.queries());
    getContext().pipeToSelf(
        items, (prepared, failure) -> new NegentropyPrepared(id, generation, prepared, failure));
  }

  private Behavior<Command> onNegentropyPrepared(NegentropyPrepared prepared) {
    String id = prepared.subscriptionId();
    NegentropySession session = negentropy.get(id);
    if (session == null || session.generation != prepared.generation()) {
      return this;
    }
    if (prepared.failure() != null) {
      getContext().getLog().warn("negentropy query failed", prepared.failure());
      negentropy.remove(id);
      sendNegErr(id, OkPrefix.ERROR, "the query failed");
      return this;
    }
    if (prepared.items() instanceof NegentropyItems.TooMany tooMany) {
      negentropy.remove(id);
      sendNegErr(id, OkPrefix.BLOCKED,
          "too many items: more than " + tooMany.limit() + " match this filter");
      return this;
    }
    NegentropyItems.Items items = (NegentropyItems.Items) prepared.items();
    session.negentropy = new Negentropy(items.storage(), limits.negentropyFrameBytes());
    answerNegentropy(id, session, session.initialMessage);
    return next();
  }

  private void onNegMsg(String id, String messageHex) {
    NegentropySession session = negentropy.get(id);
    if (session == null) {
      send(new RelayMessage.NegErr(id, "closed: no open negentropy session with this id").toJson(),
          true);
      return;
    }
    if (session.negentropy == null) {
      negentropy.remove(id);
      sendNegErr(id, OkPrefix.INVALID, "NEG-MSG before the relay answered NEG-OPEN");
      return;
    }
    byte[] message;
    try {
      message = NegentropyMessage.decodeHex(messageHex);
    } catch (NegentropyException e) {
      negentropy.remove(id);
      sendNegErr(id, OkPrefix.INVALID, "malformed negentropy message: " + e.reason());
      return;
    }
    answerNegentropy(id, session, message);
  }

  private void answerNegentropy(String id, NegentropySession session, byte[] message) {
    byte[] reply;
    try {
      reply = session.negentropy.reconcile(message);
    } catch (NegentropyException e) {
      negentropy.remove(id);
      sendNegErr(id, OkPrefix.INVALID, "malformed negentropy message: " + e.reason());
      return;
    }
    send(new RelayMessage.NegMsg(id, Hex.encode(reply)).toJson(), true);
  }

  // ---------------------------------------------------------------- malformed input

  private void onMalformed(MessageParseException e, String frame) {
    String type = e.messageType().orElse("");
    Optional<String> subscriptionId = e.subscriptionId();
    String detail = describe(e);
    if (e.reason() == MessageParseException.Reason.TOO_LARGE) {
      notice(OkPrefix.INVALID, "message exceeds " + limits.maxMessageBytes() + " bytes");
      return;
    }
    switch (type) {
      case "EVENT", "AUTH" -> {
        Optional<EventId> id = EventIds.of(frame);
        if (id.isPresent()) {
          sendOk(id.get(), false, OkPrefix.format(OkPrefix.INVALID, detail));
        } else {
          notice(OkPrefix.INVALID, type + ": " + detail);
        }
      }
      case "REQ", "COUNT" -> {
        if (subscriptionId.isEmpty()) {
          notice(OkPrefix.INVALID, type + ": " + detail);
        } else if (e.reason() == MessageParseException.Reason.TOO_MANY_FILTERS) {
          sendClosed(subscriptionId.get(), OkPrefix.BLOCKED,
              "more than " + limits.maxFilters() + " filters");
        } else {
          sendClosed(subscriptionId.get(), OkPrefix.INVALID, detail);
        }
      }
      case "NEG-OPEN", "NEG-MSG", "NEG-CLOSE" -> {
        if (subscriptionId.isPresent()) {
          negentropy.remove(subscriptionId.get());
          sendNegErr(subscriptionId.get(), OkPrefix.INVALID, detail);
        } else {
          notice(OkPrefix.INVALID, type + ": " + detail);
        }
      }
      default -> {
        if (e.reason() == MessageParseException.Reason.UNKNOWN_TYPE) {
          notice(OkPrefix.UNSUPPORTED, "unknown message type");
        } else {
          notice(OkPrefix.INVALID, detail);
        }
      }
    }
  }

  private static String describe(MessageParseException e) {
    if (e.eventReason().isPresent()) {
      return switch (e.eventReason().get()) {
        case ID_MISMATCH -> "event id does not match its content";
        case TOO_MANY_TAGS -> "too many tags";
        case STRING_TOO_LONG -> "content or a tag is too long";
        default -> "malformed event: " + describe(e.eventReason().get().name());
      };
    }
    if (e.filterReason().isPresent()) {
      return "malformed filter: " + describe(e.filterReason().get().name());
    }
    return describe(e.reason().name());
  }

  private static String describe(String enumName) {
    return enumName.toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
  }

  // ---------------------------------------------------------------- output

  private void sendOk(EventId id, boolean accepted, String message) {
    send(new RelayMessage.Ok(id, accepted, message).toJson(), true);
  }

  private void sendClosed(String id, OkPrefix prefix, String text) {
    send(new RelayMessage.Closed(id, OkPrefix.format(prefix, text)).toJson(), true);
  }

  private void sendNegErr(String id, OkPrefix prefix, String text) {
    send(new RelayMessage.NegErr(id, OkPrefix.format(prefix, text)).toJson(), true);
  }

  private void notice(OkPrefix prefix, String text) {
    send(new RelayMessage.Notice(OkPrefix.format(prefix, text)).toJson(), true);
  }

  /**
   * Sends now if the socket keeps up, else queues. Stored REQ results ({@code counted} false)
   * are bounded by the REQ limits; everything else that waits counts towards the output limits.
   */
  private void send(String frame, boolean counted) {
    if (closed) {
      return;
    }
    if (pendingOut.isEmpty() && out.hasRoom()) {
      if (!out.offer(frame)) {
        drop("the output stream is closed");
      }
      return;
    }
    pendingOut.add(new Ready(frame, counted));
    if (counted) {
      pendingCountedChars += frame.length();
      pendingCountedFrames++;
      if (pendingCountedChars > limits.outputBufferBytes()
          || pendingCountedFrames > limits.outputBufferMessages()) {
        drop("slow reader: output limits exceeded");
        return;
      }
    }
    requestDrain();
  }

  /** {@link #send} for a stored REQ result, not counted. */
  private void sendStored(byte[] head, StoredEvent event) {
    if (closed) {
      return;
    }
    if (pendingOut.isEmpty() && out.hasRoom()) {
      if (!out.offer(Frames.event(head, event))) {
        drop("the output stream is closed");
      }
      return;
    }
    pendingOut.add(new Stored(head, event));
    requestDrain();
  }

  private void requestDrain() {
    if (drainRequested) {
      return;
    }
    if (out.notifyWhenDrained()) {
      flush();
    } else {
      drainRequested = true;
    }
  }

  private Behavior<Command> onOutputDrained() {
    drainRequested = false;
    flush();
    releaseAckIfReady();
    return next();
  }

  private void flush() {
    while (!pendingOut.isEmpty() && out.hasRoom() && !closed) {
      String frame;
      Pending next = pendingOut.poll();
      if (next instanceof Ready ready) {
        frame = ready.frame();
        if (ready.counted()) {
          pendingCountedChars -= frame.length();
          pendingCountedFrames--;
        }
      } else {
        Stored stored = (Stored) next;
        frame = Frames.event(stored.head(), stored.event());
      }
      if (!out.offer(frame)) {
        drop("the output stream is closed");
        return;
      }
    }
    if (!pendingOut.isEmpty()) {
      requestDrain();
    }
  }

  private void releaseAckIfReady() {
    if (heldAck != null && pendingWrites < limits.maxPendingWrites() && pendingOut.isEmpty()) {
      heldAck.tell(Ack.INSTANCE);
      heldAck = null;
    }
  }

  /** After any send: a send can drop the connection. */
  private Behavior<Command> next() {
    return closed ? Behaviors.stopped() : this;
  }

  private Behavior<Command> drop(String reason) {
    if (!closed) {
      closed = true;
      getContext().getLog().debug("dropping connection: {}", reason);
      out.fail(new Dropped(reason));
    }
    return Behaviors.stopped();
  }

  private Behavior<Command> onShutdown() {
    closed = true;
    out.complete();
    return Behaviors.stopped();
  }

  private Behavior<Command> onPostStop() {
    relay.connections().remove(getContext().getSelf());
    if (onFeed) {
      relay.feed().unregister(feedListener);
      onFeed = false;
    }
    if (!closed) {
      closed = true;
      out.complete();
    }
    return this;
  }
}
