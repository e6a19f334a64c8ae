package xchat.engine.relay;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Flow;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.BehaviorBuilder;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import xchat.engine.transport.RelayConnection;
import xchat.engine.transport.RelayInfo;
import xchat.engine.transport.RelayUrl;
import xchat.protocol.event.EventId;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.filter.Filter;
import xchat.protocol.message.ClientMessage;
import xchat.protocol.message.MessageParseException;
import xchat.protocol.message.OkPrefix;
import xchat.protocol.message.RelayMessage;
import xchat.protocol.message.RelayMessageJson;
import xchat.protocol.message.SubscriptionIds;
import xchat.protocol.nip42.AuthEvent;
import xchat.protocol.nip77.NegentropyStorage;

/**
 * Owns one socket to one relay for one circle: connecting, NIP-42 AUTH, subscriptions that resume
 * from their cursors, publishing with per-event outcomes, NIP-77 sync with REQ fallback, repair,
 * keepalive, backoff and health. See engine/README.md for the state diagram and invariants.
 */
public final class RelayActor {

  // ---- Public protocol ------------------------------------------------------------------------

  public sealed interface Command {}

  /**
   * Keeps a subscription open across reconnects. The REQ resumes from {@code cursor} less
   * {@code overlapSeconds} (wraps carry randomised timestamps, NIP-59), and the cursor advances
   * as events are handed to the ingest sink ({@link RelayEvent.CursorAdvanced}). Replaces a
   * subscription of the same id.
   */
  public record Subscribe(String subscriptionId, List<Filter> filters, OptionalLong cursor, long overlapSeconds)
      implements Command {
    public Subscribe {
      requireCallerId(subscriptionId, 48);
      filters = List.copyOf(filters);
      if (filters.isEmpty()) {
        throw new IllegalArgumentException("at least one filter");
      }
      Objects.requireNonNull(cursor, "cursor");
      if (overlapSeconds < 0) {
        throw new IllegalArgumentException("overlap must not be negative");
      }
    }
  }

  public record Unsubscribe(String subscriptionId) implements Command {}

  /** Sends one event; exactly one {@link PublishOutcome} goes to {@code replyTo}. */
  public record Publish(NostrEvent event, ActorRef<PublishOutcome> replyTo) implements Command {
    public Publish {
      Objects.requireNonNull(event, "event");
      Objects.requireNonNull(replyTo, "replyTo");
    }
  }

  /**
   * Brings everything the relay holds for {@code filter} into the ingest sink: NIP-77 against
   * {@code local} (what we already hold; it must not change meanwhile) when the relay can, REQ
   * paging otherwise. Waits for a connection if there is none.
   */
  public record Sync(String syncId, Filter filter, NegentropyStorage local, ActorRef<SyncReport> replyTo)
      implements Command {
    public Sync {
      requireCallerId(syncId, 40);
      Objects.requireNonNull(filter, "filter");
      Objects.requireNonNull(local, "local");
      Objects.requireNonNull(replyTo, "replyTo");
    }
  }

  /** Runs a repair now (it also runs on every connection when {@link RelayDeps#authored} is set). */
  public record Repair(ActorRef<RepairReport> replyTo) implements Command {}

  public record GetHealth(ActorRef<RelayHealth> replyTo) implements Command {}

  /** Ids starting with "xchat-" are the actor's own (keepalive, repair). */
  private static void requireCallerId(String id, int maxLength) {
    SubscriptionIds.require(id);
    if (id.length() > maxLength || id.startsWith(RESERVED_PREFIX)) {
      throw new IllegalArgumentException("id must be at most " + maxLength
          + " characters and not start with " + RESERVED_PREFIX);
    }
  }

  private static final String RESERVED_PREFIX = "xchat-";

  // ---- Messages to self -----------------------------------------------------------------------

  private record Connected(int generation, RelayConnection connection) implements Command {}

  private record ConnectFailed(int generation, String reason) implements Command {}

  private record InfoFetched(int generation, Optional<RelayInfo> info) implements Command {}

  private record ConnectTimedOut(int generation) implements Command {}

  private record FrameArrived(int generation, String frame) implements Command {}

  private record StreamEnded(int generation, String reason) implements Command {}

  private record IngestAcked(int generation, boolean failed) implements Command {}

  private record BackoffElapsed() implements Command {}

  private record StableReached(int generation) implements Command {}

  private record KeepaliveTick(int generation) implements Command {}

  private record AuthTimedOut(int generation) implements Command {}

  private record OkTimedOut(EventId eventId, int attempt) implements Command {}

  private record RetryPublish(EventId eventId) implements Command {}

  private record RetrySubscription(String subscriptionId) implements Command {}

  private record JobTimedOut(String jobId, int step) implements Command {}

  private record AuthoredLoaded(int generation, Optional<AuthoredEvents.AuthoredSet> set,
      Optional<ActorRef<RepairReport>> replyTo) implements Command {}

  private record AuthoredEventLoaded(Optional<NostrEvent> event) implements Command {}

  private record RepublishOutcome(PublishOutcome outcome) implements Command {}

  // ---- Factory ------------------------------------------------------------------------------------

  public static Behavior<Command> create(RelayUrl url, RelaySettings settings, RelayDeps deps) {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(deps, "deps");
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new RelayActor(ctx, timers, url, settings, deps).startConnecting()));
  }

  // ---- State ---------------------------------------------------------------------------------------

  private static final String KEEPALIVE_SUBSCRIPTION = "xchat-ka";
  private static final Object CONNECT_TIMER = "connect";
  private static final Object BACKOFF_TIMER = "backoff";
  private static final Object STABLE_TIMER = "stable";
  private static final Object KEEPALIVE_TIMER = "keepalive";
  private static final Object AUTH_TIMER = "auth";

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final RelayUrl url;
  private final RelaySettings settings;
  private final RelayDeps deps;
  private final Backoff backoff;
  private final HealthTracker health;
  private final ActorRef<PublishOutcome> republishAdapter;

  private ConnectionState state = ConnectionState.CONNECTING;
  private int generation;
  private RelayConnection connection;
  private FrameSubscriber frames;
  private boolean infoSettled;
  private RelayInfo info = RelayInfo.UNKNOWN;
  private boolean nip77Failed;
  private int backoffAttempt;

  private String challenge;
  private EventId authEventId;
  private boolean authenticated;
  private boolean authRefused;

  private long lastFrameMillis;
  private long pingSentMillis = -1;
  private boolean ingestBroken;

  private final Map<EventId, PendingPublish> publishes = new LinkedHashMap<>();
  private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
  private final Map<String, ReconcileJob> jobs = new LinkedHashMap<>();
  private final Map<String, JobQuery> queries = new HashMap<>();
  private final ArrayDeque<JobQuery> queuedQueries = new ArrayDeque<>();
  /** NIP-77 sessions refused with auth-required before our AUTH landed; restarted after it. */
  private final List<ReconcileJob> negentropyAwaitingAuth = new ArrayList<>();
  private final Map<String, ReconcileJob> negentropySessions = new HashMap<>();
  private final Map<String, ActorRef<SyncReport>> syncReplies = new HashMap<>();
  private final Map<String, Optional<ActorRef<RepairReport>>> repairReplies = new HashMap<>();
  private int jobCounter;

  private enum Phase { QUEUED, IN_FLIGHT, AWAITING_AUTH, WAITING_RETRY }

  private static final class PendingPublish {
    final NostrEvent event;
    final List<ActorRef<PublishOutcome>> replyTo = new ArrayList<>(1);
    Phase phase = Phase.QUEUED;
    int attempts;
    long sentAtMillis;

    PendingPublish(NostrEvent event) {
      this.event = event;
    }
  }

  private static final class Subscription {
    final String id;
    final List<Filter> filters;
    final long overlapSeconds;
    OptionalLong cursor;
    boolean active;
    boolean eose;
    long maxSeenBeforeEose = -1;
    boolean awaitingAuth;
    boolean waitingRetry;
    boolean cursorDirty;
    int failures;

    Subscription(Subscribe command) {
      this.id = command.subscriptionId();
      this.filters = command.filters();
      this.overlapSeconds = command.overlapSeconds();
      this.cursor = command.cursor();
    }
  }

  private record JobQuery(ReconcileJob job, String wireId, Filter filter) {}

  private RelayActor(ActorContext<Command> ctx, TimerScheduler<Command> timers, RelayUrl url,
      RelaySettings settings, RelayDeps deps) {
    this.ctx = ctx;
    this.timers = timers;
    this.url = url;
    this.settings = settings;
    this.deps = deps;
    this.backoff = new Backoff(settings.backoffBase(), settings.backoffCap());
    this.health = new HealthTracker(now());
    this.republishAdapter = ctx.messageAdapter(PublishOutcome.class, RepublishOutcome::new);
  }

  // ---- States ---------------------------------------------------------------------------------------

  private Behavior<Command> startConnecting() {
    generation++;
    int gen = generation;
    infoSettled = false;
    connection = null;
    frames = null;
    challenge = null;
    authEventId = null;
    authenticated = false;
    authRefused = false;
    health.connectAttempts++;
    enter(ConnectionState.CONNECTING);
    ctx.pipeToSelf(deps.transport().connect(url), (connection, failure) -> failure == null
        ? new Connected(gen, connection)
        : new ConnectFailed(gen, describe(failure)));
    ctx.pipeToSelf(deps.transport().fetchInfo(url), (fetched, failure) ->
        new InfoFetched(gen, Optional.ofNullable(failure == null ? fetched : null)));
    timers.startSingleTimer(CONNECT_TIMER, new ConnectTimedOut(gen), settings.connectTimeout());
    return connecting();
  }

  /** Socket and NIP-11 document both arrive (or the document fails) before anything is sent. */
  private Behavior<Command> connecting() {
    return common(Behaviors.receive(Command.class)
        .onMessage(Connected.class, this::onConnected)
        .onMessage(ConnectFailed.class, m -> m.generation() == generation
            ? connectionLost("connect failed: " + m.reason()) : Behaviors.same())
        .onMessage(InfoFetched.class, this::onInfoFetched)
        .onMessage(ConnectTimedOut.class, this::onConnectTimedOut))
        .build();
  }

  /** The relay requires NIP-42: reads flow, but REQ and EVENT wait until AUTH is settled. */
  private Behavior<Command> authenticating() {
    return common(Behaviors.receive(Command.class)
        .onMessage(AuthTimedOut.class, this::onAuthWaitTimedOut))
        .build();
  }

  private Behavior<Command> open() {
    return common(Behaviors.receive(Command.class)
        .onMessage(AuthTimedOut.class, this::onAuthWaitTimedOut))
        .build();
  }

  private Behavior<Command> backingOff() {
    return common(Behaviors.receive(Command.class)
        .onMessage(BackoffElapsed.class, m -> startConnecting()))
        .build();
  }

  /** Handlers every state shares; a state's own handlers come first and win. */
  private BehaviorBuilder<Command> common(BehaviorBuilder<Command> builder) {
    return builder
        .onMessage(Publish.class, this::onPublish)
        .onMessage(Subscribe.class, this::onSubscribe)
        .onMessage(Unsubscribe.class, this::onUnsubscribe)
        .onMessage(Sync.class, this::onSync)
        .onMessage(Repair.class, this::onRepair)
        .onMessage(GetHealth.class, this::onGetHealth)
        .onMessage(FrameArrived.class, this::onFrameArrived)
        .onMessage(StreamEnded.class, m -> m.generation() == generation && connection != null
            ? connectionLost(m.reason()) : Behaviors.same())
        .onMessage(IngestAcked.class, this::onIngestAcked)
        .onMessage(StableReached.class, this::onStableReached)
        .onMessage(KeepaliveTick.class, this::onKeepaliveTick)
        .onMessage(OkTimedOut.class, this::onOkTimedOut)
        .onMessage(RetryPublish.class, this::onRetryPublish)
        .onMessage(RetrySubscription.class, this::onRetrySubscription)
        .onMessage(JobTimedOut.class, this::onJobTimedOut)
        .onMessage(AuthoredLoaded.class, this::onAuthoredLoaded)
        .onMessage(AuthoredEventLoaded.class, this::onAuthoredEventLoaded)
        .onMessage(RepublishOutcome.class, this::onRepublishOutcome)
        .onMessage(Connected.class, m -> {
          m.connection().close(); // a late socket from an attempt we gave up on
          return Behaviors.same();
        })
        .onMessage(Command.class, m -> Behaviors.same())
        .onSignal(PostStop.class, signal -> onPostStop());
  }

  // ---- Connecting ---------------------------------------------------------------------------------

  private Behavior<Command> onConnected(Connected m) {
    if (m.generation() != generation || connection != null) {
      m.connection().close();
      return Behaviors.same();
    }
    connection = m.connection();
    lastFrameMillis = now();
    pingSentMillis = -1;
    frames = new FrameSubscriber(ctx.getSelf(), m.generation(), settings.ingestWindow());
    connection.incoming().subscribe(frames);
    return infoSettled ? connectionReady() : Behaviors.same();
  }

  private Behavior<Command> onInfoFetched(InfoFetched m) {
    if (m.generation() != generation || infoSettled) {
      return Behaviors.same();
    }
    infoSettled = true;
    // A relay whose document cannot be read keeps what it claimed before, if anything.
    m.info().ifPresent(fetched -> info = fetched);
    return connection != null ? connectionReady() : Behaviors.same();
  }

  private Behavior<Command> onConnectTimedOut(ConnectTimedOut m) {
    if (m.generation() != generation) {
      return Behaviors.same();
    }
    if (connection != null) {
      infoSettled = true; // the socket is up; the document was too slow
      return connectionReady();
    }
    return connectionLost("no connection within " + settings.connectTimeout().toMillis() + " ms");
  }

  private Behavior<Command> connectionReady() {
    timers.cancel(CONNECT_TIMER);
    health.connected(now());
    timers.startSingleTimer(STABLE_TIMER, new StableReached(generation), settings.stableAfter());
    Duration tick = min(settings.keepaliveInterval(), settings.keepaliveTimeout()).dividedBy(4);
    timers.startTimerAtFixedRate(KEEPALIVE_TIMER, new KeepaliveTick(generation), tick);
    if (info.authRequired() && deps.keys().isPresent() && !authenticated && !authRefused) {
      enter(ConnectionState.AUTHENTICATING);
      timers.startSingleTimer(AUTH_TIMER, new AuthTimedOut(generation), settings.authTimeout());
      return authenticating();
    }
    return becomeOpen();
  }

  private Behavior<Command> becomeOpen() {
    timers.cancel(AUTH_TIMER);
    enter(ConnectionState.OPEN);
    activateSubscriptions();
    for (PendingPublish pending : new ArrayList<>(publishes.values())) {
      if (pending.phase == Phase.QUEUED) {
        send(pending);
      }
    }
    for (ReconcileJob job : new ArrayList<>(jobs.values())) {
      job.start();
    }
    boolean repairRunning = jobs.values().stream().anyMatch(j -> j.kind == ReconcileJob.Kind.REPAIR);
    if (!repairRunning) {
      deps.authored().ifPresent(port -> loadAuthored(port, Optional.empty()));
    }
    return open();
  }

  private Behavior<Command> onStableReached(StableReached m) {
    if (m.generation() == generation && connection != null && !timers.isTimerActive(AUTH_TIMER)) {
      backoffAttempt = 0; // anti-flap: only a connection that stayed up (and usable) resets the backoff
    }
    return Behaviors.same();
  }

  /** Any loss of the connection, or a failed attempt, ends here: back off, then reconnect. */
  private Behavior<Command> connectionLost(String reason) {
    ctx.getLog().debug("{}: connection lost: {}", url, reason);
    timers.cancel(CONNECT_TIMER);
    timers.cancel(STABLE_TIMER);
    timers.cancel(KEEPALIVE_TIMER);
    timers.cancel(AUTH_TIMER);
    if (connection != null) {
      connection.abort(); // whatever ended it, this socket is not trusted any more
      health.disconnected(now());
    }
    connection = null;
    frames = null;
    generation++; // frames and acks of the old socket are now stale
    authenticated = false;
    authEventId = null;
    pingSentMillis = -1;
    health.ingestInFlight = 0;
    for (PendingPublish pending : publishes.values()) {
      if (pending.phase == Phase.IN_FLIGHT || pending.phase == Phase.AWAITING_AUTH) {
        timers.cancel(okTimer(pending.event.id()));
        pending.phase = Phase.QUEUED;
      }
    }
    for (Subscription sub : subscriptions.values()) {
      sub.active = false;
      sub.awaitingAuth = false;
    }
    reportCursors();
    queries.clear();
    queuedQueries.clear();
    negentropySessions.clear();
    negentropyAwaitingAuth.clear();
    for (ReconcileJob job : jobs.values()) {
      job.suspend();
    }
    Duration delay = backoff.delay(backoffAttempt, deps.random());
    tell(new RelayEvent.BackingOff(url, backoffAttempt, delay, reason));
    backoffAttempt++;
    enter(ConnectionState.BACKING_OFF);
    timers.startSingleTimer(BACKOFF_TIMER, new BackoffElapsed(), delay);
    return backingOff();
  }

  // ---- Frames -------------------------------------------------------------------------------------

  private Behavior<Command> onFrameArrived(FrameArrived m) {
    if (m.generation() != generation || connection == null) {
      return Behaviors.same();
    }
    health.framesReceived++;
    frames.received();
    lastFrameMillis = now();
    pingSentMillis = -1;
    String frame = m.frame();
    if (frame.isEmpty()) {
      health.garbageFrames++;
      frames.request(1);
      return Behaviors.same();
    }
    RelayMessage message;
    try {
      message = RelayMessageJson.parse(frame, settings.limits());
    } catch (MessageParseException e) {
      health.garbageFrames++; // a hostile or broken relay: count it and read on
      ctx.getLog().debug("{}: unreadable frame: {}", url, e.reason());
      frames.request(1);
      return Behaviors.same();
    }
    if (message instanceof RelayMessage.EventMessage event) {
      onRelayEvent(event); // requests the next frame itself, once the sink acknowledges
      return Behaviors.same();
    }
    frames.request(1);
    if (message instanceof RelayMessage.Ok ok) {
      return onOk(ok);
    } else if (message instanceof RelayMessage.Eose eose) {
      onEose(eose.subscriptionId());
    } else if (message instanceof RelayMessage.Closed closed) {
      onClosed(closed);
    } else if (message instanceof RelayMessage.AuthChallenge auth) {
      onChallenge(auth.challenge());
    } else if (message instanceof RelayMessage.NegMsg neg) {
      ReconcileJob job = negentropySessions.get(neg.subscriptionId());
      if (job != null) {
        job.onNegentropyMessage(neg.messageHex());
      }
    } else if (message instanceof RelayMessage.NegErr err) {
      ReconcileJob job = negentropySessions.remove(err.subscriptionId());
      if (job != null && isAuthRequired(err.reason()) && canStillAuthenticate()) {
        negentropyAwaitingAuth.add(job); // the NEG-OPEN raced our AUTH: not a NIP-77 failure
        armAuthWait();
      } else if (job != null) {
        job.onNegentropyError(err.reason());
      }
    } else if (message instanceof RelayMessage.Notice notice) {
      ctx.getLog().debug("{}: NOTICE {}", url, notice.message());
    }
    return Behaviors.same();
  }

  private void onRelayEvent(RelayMessage.EventMessage m) {
    String subId = m.subscriptionId();
    NostrEvent event = m.event();
    Subscription sub = subscriptions.get(subId);
    if (sub != null && sub.active && Filter.anyMatch(sub.filters, event)) {
      if (sub.eose) {
        advanceCursor(sub, event.createdAt());
      } else {
        sub.maxSeenBeforeEose = Math.max(sub.maxSeenBeforeEose, event.createdAt());
      }
      if (!deliver(subId, event, sub.eose)) {
        frames.request(1);
      }
      return;
    }
    JobQuery query = queries.get(subId);
    if (query != null) {
      int before = health.ingestInFlight;
      query.job().onEvent(subId, event);
      if (health.ingestInFlight > before) {
        return; // delivered: the acknowledgement requests the next frame
      }
    }
    frames.request(1); // not ours, not matching, or not for the sink
  }

  /** Offers one event to the sink; false when it was dropped (the sink had failed). */
  private boolean deliver(String subscriptionId, NostrEvent event, boolean live) {
    if (ingestBroken) {
      return false;
    }
    health.offered();
    int gen = generation;
    ctx.pipeToSelf(deps.ingest().offer(new IngestEnvelope(url, subscriptionId, event, live)),
        (ok, failure) -> new IngestAcked(gen, failure != null));
    return true;
  }

  private Behavior<Command> onIngestAcked(IngestAcked m) {
    if (m.failed()) {
      ingestBroken = true;
      ctx.getLog().error("{}: the ingest sink failed; events from this relay are dropped", url);
    }
    if (m.generation() == generation && frames != null) {
      health.ingestInFlight--;
      frames.request(1);
    }
    return Behaviors.same();
  }

  private void onEose(String subId) {
    if (KEEPALIVE_SUBSCRIPTION.equals(subId)) {
      sendFrame(new ClientMessage.Close(KEEPALIVE_SUBSCRIPTION));
      return;
    }
    Subscription sub = subscriptions.get(subId);
    if (sub != null && sub.active && !sub.eose) {
      sub.eose = true;
      sub.failures = 0;
      // Stored events arrive newest first, so only at EOSE is everything up to the newest in.
      if (sub.maxSeenBeforeEose >= 0) {
        advanceCursor(sub, sub.maxSeenBeforeEose);
      }
      reportCursors();
      return;
    }
    JobQuery query = queries.get(subId);
    if (query != null) {
      query.job().onEose(subId);
    }
  }

  private void onClosed(RelayMessage.Closed m) {
    String subId = m.subscriptionId();
    OkPrefix.Outcome outcome = m.outcome();
    Subscription sub = subscriptions.get(subId);
    if (sub != null && sub.active) {
      sub.active = false;
      if (outcome == OkPrefix.Outcome.AUTH_REQUIRED && canStillAuthenticate()) {
        sub.awaitingAuth = true;
        armAuthWait();
      } else if (outcome == OkPrefix.Outcome.TRANSIENT) {
        sub.waitingRetry = true;
        timers.startSingleTimer("sub-" + subId, new RetrySubscription(subId),
            backoff.delay(sub.failures++, deps.random()));
      } else {
        subscriptions.remove(subId);
        tell(new RelayEvent.SubscriptionClosed(url, subId,
            outcome == OkPrefix.Outcome.AUTH_REQUIRED ? "auth refused: " + m.message() : m.message()));
      }
      activateSubscriptions();
      return;
    }
    JobQuery query = queries.remove(subId);
    if (query != null) {
      if (outcome == OkPrefix.Outcome.AUTH_REQUIRED && canStillAuthenticate()) {
        queuedQueries.addFirst(query); // re-sent once AUTH succeeds
        armAuthWait();
      } else {
        query.job().onClosed(subId, m.message());
      }
      activateSubscriptions();
    }
  }

  // ---- NIP-42 -------------------------------------------------------------------------------------

  private void onChallenge(String newChallenge) {
    challenge = newChallenge;
    if (deps.keys().isEmpty()) {
      return;
    }
    byte[] aux = new byte[32];
    deps.random().nextBytes(aux);
    NostrEvent auth = AuthEvent.create(deps.keys().get(), deps.curve(), url.value(), newChallenge,
        nowSeconds(), aux);
    authEventId = auth.id();
    authenticated = false;
    sendFrame(new ClientMessage.Auth(auth));
  }

  private static boolean isAuthRequired(String reason) {
    return OkPrefix.parse(reason).prefix().filter(p -> p == OkPrefix.AUTH_REQUIRED).isPresent();
  }

  private boolean canStillAuthenticate() {
    // Refused before, or authenticated and still not allowed: our key will not do.
    return deps.keys().isPresent() && !authRefused && !authenticated;
  }

  private void armAuthWait() {
    if (!timers.isTimerActive(AUTH_TIMER)) {
      timers.startSingleTimer(AUTH_TIMER, new AuthTimedOut(generation), settings.authTimeout());
    }
  }

  private Behavior<Command> onAuthOk(RelayMessage.Ok ok) {
    authEventId = null;
    timers.cancel(AUTH_TIMER);
    if (ok.accepted()) {
      authenticated = true;
      // A connection counts as stable from the moment it is usable.
      timers.startSingleTimer(STABLE_TIMER, new StableReached(generation), settings.stableAfter());
    } else {
      authRefused = true;
      tell(new RelayEvent.AuthRefused(url, ok.message()));
    }
    if (state == ConnectionState.AUTHENTICATING) {
      return becomeOpen(); // everything waiting goes out now, and fails or succeeds on its own
    }
    settleAuthWaiters();
    return Behaviors.same();
  }

  /** After AUTH succeeded, retry what waited for it; after it was refused, fail it. */
  private void settleAuthWaiters() {
    for (PendingPublish pending : new ArrayList<>(publishes.values())) {
      if (pending.phase == Phase.AWAITING_AUTH) {
        if (authenticated) {
          send(pending);
        } else {
          finish(pending, PublishOutcome.Status.AUTH_REFUSED, "auth refused");
        }
      }
    }
    for (Iterator<Subscription> it = subscriptions.values().iterator(); it.hasNext(); ) {
      Subscription sub = it.next();
      if (sub.awaitingAuth) {
        sub.awaitingAuth = false;
        if (!authenticated) {
          it.remove();
          tell(new RelayEvent.SubscriptionClosed(url, sub.id, "auth refused"));
        }
      }
    }
    List<ReconcileJob> waitingNegentropy = new ArrayList<>(negentropyAwaitingAuth);
    negentropyAwaitingAuth.clear();
    for (ReconcileJob job : waitingNegentropy) {
      if (authenticated) {
        job.start();
      } else {
        job.onNegentropyError("auth refused");
      }
    }
    if (!authenticated) {
      for (JobQuery query : new ArrayList<>(queuedQueries)) {
        queuedQueries.remove(query);
        query.job().onClosed(query.wireId(), "auth refused");
      }
    }
    activateSubscriptions();
  }

  /**
   * Waited for a challenge or its OK in vain. NIP-42 relays send the challenge when the socket
   * opens, so a lost one never comes again on this socket: reconnect with backoff, and what
   * waited goes out again after the next AUTH.
   */
  private Behavior<Command> onAuthWaitTimedOut(AuthTimedOut m) {
    if (m.generation() != generation || connection == null) {
      return Behaviors.same();
    }
    String reason = (challenge == null ? "no AUTH challenge" : "no answer to our AUTH")
        + " within " + settings.authTimeout().toMillis() + " ms";
    health.authTimeouts++;
    ctx.getLog().info("{}: {}; reconnecting", url, reason);
    tell(new RelayEvent.AuthTimedOut(url, reason));
    for (PendingPublish pending : new ArrayList<>(publishes.values())) {
      if (pending.phase == Phase.AWAITING_AUTH && pending.attempts >= settings.maxPublishAttempts()) {
        health.transientFailures++;
        finish(pending, PublishOutcome.Status.GAVE_UP, reason); // a relay that never lets us in
      }
    }
    return connectionLost(reason);
  }

  // ---- Publishing ---------------------------------------------------------------------------------

  private Behavior<Command> onPublish(Publish m) {
    EventId id = m.event().id();
    PendingPublish existing = publishes.get(id);
    if (existing != null) {
      existing.replyTo.add(m.replyTo());
      return Behaviors.same();
    }
    if (publishes.size() >= settings.maxPendingPublishes()) {
      m.replyTo().tell(new PublishOutcome(url, id, PublishOutcome.Status.OVERLOADED,
          "more than " + settings.maxPendingPublishes() + " events waiting for this relay", 0));
      return Behaviors.same();
    }
    PendingPublish pending = new PendingPublish(m.event());
    pending.replyTo.add(m.replyTo());
    publishes.put(id, pending);
    if (state == ConnectionState.OPEN) {
      send(pending);
    }
    return Behaviors.same();
  }

  private void send(PendingPublish pending) {
    NostrEvent event = pending.event;
    OptionalLong oldest = info.oldestAcceptedAt(nowSeconds());
    if (oldest.isPresent() && event.createdAt() < oldest.getAsLong()) {
      finish(pending, PublishOutcome.Status.TOO_OLD,
          "created_at " + event.createdAt() + " is before the relay's lower limit " + oldest.getAsLong());
      return;
    }
    String frame = new ClientMessage.EventMessage(event).toJson();
    if (info.maxMessageLength().isPresent()
        && utf8Length(frame) > info.maxMessageLength().getAsInt()) {
      finish(pending, PublishOutcome.Status.TOO_LARGE,
          "frame exceeds the relay's max_message_length " + info.maxMessageLength().getAsInt());
      return;
    }
    RelayConnection.SendResult result = connection.send(frame);
    switch (result) {
      case ENQUEUED -> {
        pending.attempts++;
        pending.phase = Phase.IN_FLIGHT;
        pending.sentAtMillis = now();
        timers.startSingleTimer(okTimer(event.id()), new OkTimedOut(event.id(), pending.attempts),
            settings.okTimeout());
      }
      case BUFFER_FULL -> {
        pending.attempts++;
        retryLater(pending, "send buffer full");
      }
      case CLOSED -> pending.phase = Phase.QUEUED; // the stream's end follows and requeues all
    }
  }

  private Behavior<Command> onOk(RelayMessage.Ok ok) {
    if (ok.eventId().equals(authEventId)) {
      return onAuthOk(ok);
    }
    PendingPublish pending = publishes.get(ok.eventId());
    if (pending == null) {
      return Behaviors.same();
    }
    OkPrefix.Outcome outcome = ok.outcome();
    if (pending.phase != Phase.IN_FLIGHT && outcome != OkPrefix.Outcome.SUCCESS) {
      return Behaviors.same(); // a late refusal of an attempt we already gave up on
    }
    timers.cancel(okTimer(ok.eventId()));
    if (pending.phase == Phase.IN_FLIGHT) {
      health.okLatency(Math.max(0, now() - pending.sentAtMillis));
    }
    switch (outcome) {
      case SUCCESS -> {
        boolean duplicate = OkPrefix.parse(ok.message()).prefix().orElse(null) == OkPrefix.DUPLICATE;
        finish(pending, duplicate ? PublishOutcome.Status.DUPLICATE : PublishOutcome.Status.ACCEPTED,
            ok.message());
      }
      case TERMINAL -> finish(pending, PublishOutcome.Status.REJECTED, ok.message());
      case TRANSIENT -> retryLater(pending, ok.message());
      case AUTH_REQUIRED -> {
        if (canStillAuthenticate()) {
          pending.phase = Phase.AWAITING_AUTH;
          armAuthWait();
        } else {
          finish(pending, PublishOutcome.Status.AUTH_REFUSED, ok.message());
        }
      }
    }
    return Behaviors.same();
  }

  private void retryLater(PendingPublish pending, String reason) {
    health.transientFailures++;
    if (pending.attempts >= settings.maxPublishAttempts()) {
      finish(pending, PublishOutcome.Status.GAVE_UP, reason);
      return;
    }
    pending.phase = Phase.WAITING_RETRY;
    timers.startSingleTimer(retryTimer(pending.event.id()), new RetryPublish(pending.event.id()),
        backoff.delay(Math.max(0, pending.attempts - 1), deps.random()));
  }

  private Behavior<Command> onOkTimedOut(OkTimedOut m) {
    PendingPublish pending = publishes.get(m.eventId());
    if (pending != null && pending.phase == Phase.IN_FLIGHT && pending.attempts == m.attempt()) {
      retryLater(pending, "no OK within " + settings.okTimeout().toMillis() + " ms");
    }
    return Behaviors.same();
  }

  private Behavior<Command> onRetryPublish(RetryPublish m) {
    PendingPublish pending = publishes.get(m.eventId());
    if (pending != null && pending.phase == Phase.WAITING_RETRY) {
      pending.phase = Phase.QUEUED;
      if (state == ConnectionState.OPEN) {
        send(pending);
      }
    }
    return Behaviors.same();
  }

  private void finish(PendingPublish pending, PublishOutcome.Status status, String message) {
    EventId id = pending.event.id();
    publishes.remove(id);
    timers.cancel(okTimer(id));
    timers.cancel(retryTimer(id));
    if (status.isSuccess()) {
      health.accepted++;
    } else if (status.isFinal()) {
      health.refused++;
    }
    PublishOutcome outcome = new PublishOutcome(url, id, status, message, pending.attempts);
    for (ActorRef<PublishOutcome> replyTo : pending.replyTo) {
      replyTo.tell(outcome);
    }
  }

  // ---- Subscriptions ------------------------------------------------------------------------------

  private Behavior<Command> onSubscribe(Subscribe m) {
    Subscription previous = subscriptions.remove(m.subscriptionId());
    if (previous != null && previous.active) {
      sendFrame(new ClientMessage.Close(previous.id));
    }
    subscriptions.put(m.subscriptionId(), new Subscription(m));
    if (state == ConnectionState.OPEN) {
      activateSubscriptions();
    }
    return Behaviors.same();
  }

  private Behavior<Command> onUnsubscribe(Unsubscribe m) {
    Subscription sub = subscriptions.remove(m.subscriptionId());
    if (sub != null) {
      timers.cancel("sub-" + sub.id);
      if (sub.active && connection != null) {
        sendFrame(new ClientMessage.Close(sub.id));
      }
      if (state == ConnectionState.OPEN) {
        activateSubscriptions();
      }
    }
    return Behaviors.same();
  }

  private Behavior<Command> onRetrySubscription(RetrySubscription m) {
    Subscription sub = subscriptions.get(m.subscriptionId());
    if (sub != null) {
      sub.waitingRetry = false;
      if (state == ConnectionState.OPEN) {
        activateSubscriptions();
      }
    }
    return Behaviors.same();
  }

  /** One slot stays free for the keepalive REQ (NIP-11 max_subscriptions counts it too). */
  private int slotLimit() {
    return Math.max(1, info.maxSubscriptions().orElse(settings.defaultMaxSubscriptions()) - 1);
  }

  private int slotsInUse() {
    int used = queries.size();
    for (Subscription sub : subscriptions.values()) {
      if (sub.active) {
        used++;
      }
    }
    return used;
  }

  /** Sends REQs for waiting subscriptions, then for waiting job queries, while slots last. */
  private void activateSubscriptions() {
    if (state != ConnectionState.OPEN || connection == null) {
      return;
    }
    int free = slotLimit() - slotsInUse();
    for (Subscription sub : subscriptions.values()) {
      if (free <= 0) {
        break;
      }
      if (!sub.active && !sub.awaitingAuth && !sub.waitingRetry) {
        sendReq(sub);
        free--;
      }
    }
    while (free > 0 && !queuedQueries.isEmpty()) {
      JobQuery query = queuedQueries.pollFirst();
      queries.put(query.wireId(), query);
      sendFrame(new ClientMessage.Req(query.wireId(), List.of(query.filter())));
      free--;
    }
  }

  private void sendReq(Subscription sub) {
    List<Filter> filters = sub.filters;
    if (sub.cursor.isPresent()) {
      long since = Math.max(0, sub.cursor.getAsLong() - sub.overlapSeconds);
      filters = new ArrayList<>(sub.filters.size());
      for (Filter f : sub.filters) {
        long effective = f.since().isPresent() ? Math.max(f.since().getAsLong(), since) : since;
        filters.add(new Filter(f.ids(), f.authors(), f.kinds(), f.tags(), OptionalLong.of(effective),
            f.until(), f.limit()));
      }
    }
    sub.active = true;
    sub.eose = false;
    sub.maxSeenBeforeEose = -1;
    sendFrame(new ClientMessage.Req(sub.id, filters));
  }

  private void advanceCursor(Subscription sub, long createdAt) {
    if (sub.cursor.isEmpty() || createdAt > sub.cursor.getAsLong()) {
      sub.cursor = OptionalLong.of(createdAt);
      sub.cursorDirty = true;
    }
  }

  private void reportCursors() {
    for (Subscription sub : subscriptions.values()) {
      if (sub.cursorDirty) {
        sub.cursorDirty = false;
        tell(new RelayEvent.CursorAdvanced(url, sub.id, sub.cursor.getAsLong()));
      }
    }
  }

  // ---- Keepalive ----------------------------------------------------------------------------------

  private Behavior<Command> onKeepaliveTick(KeepaliveTick m) {
    if (m.generation() != generation || connection == null) {
      return Behaviors.same();
    }
    reportCursors();
    long now = now();
    if (health.ingestInFlight > 0) {
      // We are holding the relay back ourselves; silence now proves nothing about the socket.
      lastFrameMillis = now;
      pingSentMillis = -1;
      return Behaviors.same();
    }
    if (pingSentMillis >= 0) {
      if (now - pingSentMillis >= settings.keepaliveTimeout().toMillis()) {
        return connectionLost("no frame within " + settings.keepaliveTimeout().toMillis()
            + " ms of a keepalive ping");
      }
    } else if (now - lastFrameMillis >= settings.keepaliveInterval().toMillis()) {
      pingSentMillis = now;
      // A REQ for an id that cannot exist: any relay answers it with EOSE at once.
      sendFrame(new ClientMessage.Req(KEEPALIVE_SUBSCRIPTION,
          List.of(Filter.builder().ids(new EventId(new byte[32])).limit(1).build())));
    }
    return Behaviors.same();
  }

  // ---- Sync and repair ----------------------------------------------------------------------------

  private Behavior<Command> onSync(Sync m) {
    if (jobs.containsKey(m.syncId())) {
      m.replyTo().tell(new SyncReport(url, m.syncId(), SyncReport.Completeness.BEST_EFFORT,
          SyncReport.Method.REQ_PAGING, 0, List.of(), false, "a sync with this id is running"));
      return Behaviors.same();
    }
    ReconcileJob job = ReconcileJob.sync(m.syncId(), m.filter(), m.local(), jobHost);
    jobs.put(job.id, job);
    syncReplies.put(job.id, m.replyTo());
    if (state == ConnectionState.OPEN) {
      job.start();
    }
    return Behaviors.same();
  }

  private Behavior<Command> onRepair(Repair m) {
    if (deps.authored().isEmpty()) {
      m.replyTo().tell(new RepairReport(url, RepairReport.Method.ID_CHECK, 0, List.of(), false,
          "no authored events port"));
      return Behaviors.same();
    }
    loadAuthored(deps.authored().get(), Optional.of(m.replyTo()));
    return Behaviors.same();
  }

  private void loadAuthored(AuthoredEvents port, Optional<ActorRef<RepairReport>> replyTo) {
    int gen = generation;
    ctx.pipeToSelf(port.authoredFor(url), (set, failure) -> {
      if (failure != null) {
        ctx.getLog().warn("{}: could not list authored events: {}", url, describe(failure));
      }
      return new AuthoredLoaded(gen, Optional.ofNullable(failure == null ? set : null), replyTo);
    });
  }

  private Behavior<Command> onAuthoredLoaded(AuthoredLoaded m) {
    if (m.set().isEmpty() || m.set().get().items().isEmpty()) {
      RepairReport report = new RepairReport(url, RepairReport.Method.ID_CHECK, 0, List.of(),
          m.set().isPresent(), m.set().isPresent() ? "" : "authored events unavailable");
      m.replyTo().ifPresent(r -> r.tell(report));
      tell(new RelayEvent.RepairFinished(url, report));
      return Behaviors.same();
    }
    String id = "xchat-rp" + (++jobCounter);
    ReconcileJob job = ReconcileJob.repair(id, m.set().get().filter(), m.set().get().items(), jobHost);
    jobs.put(id, job);
    repairReplies.put(id, m.replyTo());
    if (state == ConnectionState.OPEN) {
      job.start();
    }
    return Behaviors.same();
  }

  private Behavior<Command> onAuthoredEventLoaded(AuthoredEventLoaded m) {
    m.event().ifPresent(event -> onPublish(new Publish(event, republishAdapter)));
    return Behaviors.same();
  }

  private Behavior<Command> onRepublishOutcome(RepublishOutcome m) {
    tell(new RelayEvent.Republished(url, m.outcome()));
    return Behaviors.same();
  }

  private Behavior<Command> onJobTimedOut(JobTimedOut m) {
    ReconcileJob job = jobs.get(m.jobId());
    if (job != null && state == ConnectionState.OPEN) {
      job.onTimeout(m.step());
    }
    return Behaviors.same();
  }

  private void jobFinished(ReconcileJob job) {
    jobs.remove(job.id);
    timers.cancel("job-" + job.id);
    negentropySessions.values().removeIf(j -> j == job);
    queries.values().removeIf(q -> q.job() == job);
    queuedQueries.removeIf(q -> q.job() == job);
    if (job.kind == ReconcileJob.Kind.SYNC) {
      ActorRef<SyncReport> replyTo = syncReplies.remove(job.id);
      if (replyTo != null) {
        replyTo.tell(job.syncReport(url));
      }
      return;
    }
    RepairReport report = job.repairReport(url);
    Optional<ActorRef<RepairReport>> replyTo = repairReplies.remove(job.id);
    if (replyTo != null) {
      replyTo.ifPresent(r -> r.tell(report));
    }
    tell(new RelayEvent.RepairFinished(url, report));
    deps.authored().ifPresent(port -> {
      for (EventId missing : report.missing()) {
        ctx.pipeToSelf(port.load(missing), (event, failure) ->
            new AuthoredEventLoaded(Optional.ofNullable(failure == null ? event.orElse(null) : null)));
      }
    });
  }

  private final ReconcileJob.Host jobHost = new ReconcileJob.Host() {
    @Override
    public boolean negentropyUsable() {
      return info.supports(77) && !nip77Failed;
    }

    @Override
    public void negentropyFailed(String reason) {
      if (!nip77Failed) {
        nip77Failed = true; // a claim that failed once is not trusted again
        tell(new RelayEvent.CapabilityFailed(url, 77, reason));
      }
    }

    @Override
    public long negentropyFrameLimit() {
      // NIP-77 frames carry hex, twice the message size, inside a JSON envelope.
      long fromInfo = info.maxMessageLength().isPresent()
          ? info.maxMessageLength().getAsInt() / 2 - 512 : 60_000;
      return Math.max(xchat.protocol.nip77.Negentropy.MIN_FRAME_SIZE_LIMIT, fromInfo);
    }

    @Override
    public int pageSize() {
      return Math.min(settings.pageSize(), info.maxLimit().orElse(Integer.MAX_VALUE));
    }

    @Override
    public int idsPerQuery() {
      int byLength = info.maxMessageLength().isPresent()
          ? (info.maxMessageLength().getAsInt() - 256) / 67 : Integer.MAX_VALUE;
      return Math.max(1, Math.min(settings.idsPerQuery(), Math.min(byLength, pageSize())));
    }

    @Override
    public int maxPages() {
      return settings.maxSyncPages();
    }

    @Override
    public void openQuery(ReconcileJob job, String wireId, Filter filter) {
      queuedQueries.addLast(new JobQuery(job, wireId, filter));
      activateSubscriptions();
    }

    @Override
    public void closeQuery(String wireId) {
      if (queries.remove(wireId) != null && connection != null) {
        sendFrame(new ClientMessage.Close(wireId));
        activateSubscriptions();
      }
    }

    @Override
    public void sendNegentropy(ReconcileJob job, ClientMessage message) {
      if (message instanceof ClientMessage.NegOpen open) {
        negentropySessions.put(open.subscriptionId(), job);
      } else if (message instanceof ClientMessage.NegClose close) {
        negentropySessions.remove(close.subscriptionId());
      }
      if (connection != null) {
        sendFrame(message);
      }
    }

    @Override
    public void deliver(String subscriptionId, NostrEvent event) {
      RelayActor.this.deliver(subscriptionId, event, false); // a sync or repair: catching up
    }

    @Override
    public void armTimeout(ReconcileJob job, int step) {
      timers.startSingleTimer("job-" + job.id, new JobTimedOut(job.id, step), settings.queryTimeout());
    }

    @Override
    public void finished(ReconcileJob job) {
      jobFinished(job);
    }
  };

  // ---- Health and shutdown ------------------------------------------------------------------------

  private Behavior<Command> onGetHealth(GetHealth m) {
    m.replyTo().tell(healthSnapshot());
    return Behaviors.same();
  }

  private RelayHealth healthSnapshot() {
    int active = 0;
    int queued = 0;
    for (Subscription sub : subscriptions.values()) {
      if (sub.active) {
        active++;
      } else {
        queued++;
      }
    }
    return health.snapshot(new HealthTracker.RelayActorView(url, state, backoffAttempt,
        publishes.size(), active, queued, authenticated, nip77Failed), now());
  }

  private Behavior<Command> onPostStop() {
    if (connection != null) {
      connection.close();
    }
    for (PendingPublish pending : new ArrayList<>(publishes.values())) {
      finish(pending, PublishOutcome.Status.ABANDONED, "relay actor stopped");
    }
    for (ReconcileJob job : new ArrayList<>(jobs.values())) {
      job.abort("relay actor stopped");
    }
    reportCursors();
    return Behaviors.same();
  }

  // ---- Helpers ------------------------------------------------------------------------------------

  private void enter(ConnectionState next) {
    state = next;
    tell(new RelayEvent.StateChanged(url, next, now()));
  }

  private void sendFrame(ClientMessage message) {
    if (connection != null) {
      RelayConnection.SendResult result = connection.send(message.toJson());
      if (result != RelayConnection.SendResult.ENQUEUED) {
        ctx.getLog().debug("{}: {} not sent: {}", url, message.type(), result);
      }
    }
  }

  private void tell(RelayEvent event) {
    deps.listener().ifPresent(listener -> listener.tell(event));
  }

  private long now() {
    return deps.clock().millis();
  }

  private long nowSeconds() {
    return Math.floorDiv(deps.clock().millis(), 1000L);
  }

  private static Object okTimer(EventId id) {
    return "ok-" + id.hex();
  }

  private static Object retryTimer(EventId id) {
    return "retry-" + id.hex();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static String describe(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof java.util.concurrent.CompletionException
        || cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getClass().getSimpleName()
        + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
  }

  /**
   * Bridges the transport's publisher to the actor: each frame becomes a message, and the actor
   * alone decides when to request more, so the window bounds what is buffered here.
   */
  private static final class FrameSubscriber implements Flow.Subscriber<String> {
    private final ActorRef<Command> self;
    private final int generation;
    private final int window;
    private final int batch;
    private volatile Flow.Subscription subscription;
    // Actor-thread only: frames handed back but not yet re-requested, and frames requested but
    // not yet arrived. outstanding + pending + unacknowledged == window, always.
    private long pending;
    private long outstanding;

    FrameSubscriber(ActorRef<Command> self, int generation, int window) {
      this.self = self;
      this.generation = generation;
      this.window = window;
      this.batch = Math.max(1, window / 4);
      this.outstanding = window;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(window);
    }

    /** A frame arrived (actor thread). */
    void received() {
      outstanding--;
      flushIfDue();
    }

    /**
     * The actor is done with one frame (actor thread). Demand goes back in batches, one signal
     * per quarter window instead of one per frame, and at once when nothing else is requested:
     * held-back demand with nothing outstanding would stall the connection for good.
     */
    void request(long n) {
      pending += n;
      flushIfDue();
    }

    private void flushIfDue() {
      Flow.Subscription s = subscription;
      if (s != null && pending > 0 && (pending >= batch || outstanding <= 0)) {
        outstanding += pending;
        long demand = pending;
        pending = 0;
        s.request(demand);
      }
    }

    @Override
    public void onNext(String frame) {
      self.tell(new FrameArrived(generation, frame));
    }

    @Override
    public void onError(Throwable failure) {
      self.tell(new StreamEnded(generation, "connection failed: " + describe(failure)));
    }

    @Override
    public void onComplete() {
      self.tell(new StreamEnded(generation, "relay closed the connection"));
    }
  }
}
