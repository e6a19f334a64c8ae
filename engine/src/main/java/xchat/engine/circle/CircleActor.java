package xchat.engine.circle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.stream.Materializer;
import xchat.engine.api.EngineEvent;
import xchat.engine.api.InjectedBug;
import xchat.engine.api.MessageStatus;
import xchat.engine.api.SyncResult;
import xchat.engine.device.DeviceActor;
import xchat.engine.device.DeviceStateEvents;
import xchat.engine.ingest.IngestPipeline;
import xchat.engine.outbox.DeletionHandleImpl;
import xchat.engine.outbox.MessageHandleImpl;
import xchat.engine.outbox.OutboxStatus;
import xchat.engine.relay.ConnectionState;
import xchat.engine.relay.PublishOutcome;
import xchat.engine.relay.PublishReport;
import xchat.engine.relay.RelayActor;
import xchat.engine.relay.RelayDeps;
import xchat.engine.relay.RelayEvent;
import xchat.engine.relay.RelayHealth;
import xchat.engine.relay.RelayPool;
import xchat.engine.relay.SyncReport;
import xchat.engine.runtime.ApiMapping;
import xchat.engine.runtime.Asks;
import xchat.engine.runtime.EngineContext;
import xchat.engine.transport.RelayUrl;
import xchat.persistence.CircleId;
import xchat.persistence.cursor.SyncCursor;
import xchat.persistence.log.ConversationId;
import xchat.persistence.log.RumorRef;
import xchat.persistence.log.StoredMessage;
import xchat.persistence.outbox.AckState;
import xchat.persistence.outbox.OutboxCopy;
import xchat.persistence.outbox.OutboxEntry;
import xchat.persistence.outbox.RelayAck;
import xchat.protocol.event.EventId;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.Rumor;
import xchat.protocol.filter.Filter;
import xchat.protocol.hex.Hex;
import xchat.protocol.keys.PublicKey;
import xchat.protocol.nip09.Deletions;
import xchat.protocol.nip17.ChatRoom;
import xchat.protocol.nip17.ChatRumors;
import xchat.protocol.nip17.PrivateMessages;
import xchat.protocol.nip59.GiftWrap;
import xchat.protocol.nip77.Item;
import xchat.protocol.nip77.SortedVectorStorage;

/**
 * One circle: its relay pool (one socket per relay, never shared with another circle, even for
 * the same URL), its subscription and cursors, its ingest stream and its outbox. Nothing here
 * ever touches another circle's keys or sockets.
 */
public final class CircleActor {

  // ---- Public protocol ------------------------------------------------------------------------

  public sealed interface Command {}

  /**
   * Wraps {@code rumor} once per member and once to self, stores the outbox entry (and erases
   * {@code erase}, for a delete) in one batch, reports QUEUED, then publishes every copy.
   */
  public record Send(Rumor rumor, List<EventId> erase, MessageHandleImpl handle) implements Command {
    public Send {
      Objects.requireNonNull(rumor, "rumor");
      erase = List.copyOf(erase);
      Objects.requireNonNull(handle, "handle");
    }
  }

  /** Asks every relay (NIP-09) to delete these wraps, which p-tag us; the tracker hears the answers. */
  public record RequestDeletion(List<EventId> wrapIds, Optional<DeletionHandleImpl> tracker) implements Command {}

  public record PublishDeviceState(NostrEvent event) implements Command {}

  /** Reconciles every relay (NIP-77, or REQ paging), then answers once all of it is stored. */
  public record Sync(Duration timeout, ActorRef<SyncResult> replyTo) implements Command {}

  public record SetRelays(List<RelayUrl> relays) implements Command {}

  public record GetHealth(ActorRef<List<RelayHealth>> replyTo) implements Command {}

  /** Publishes the last device state, drains the ingest stream, then stops. */
  public record Retire(Optional<NostrEvent> lastState, ActorRef<Done> replyTo) implements Command {}

  // ---- Messages to self -----------------------------------------------------------------------

  private record RelaysKnown(long poolGeneration, Map<RelayUrl, ActorRef<RelayActor.Command>> relays)
      implements Command {}

  private record RelayEventArrived(RelayEvent event) implements Command {}

  private record OutcomeArrived(PublishOutcome outcome) implements Command {}

  private record ReportIgnored(PublishReport report) implements Command {}

  private record Queued(OutboxEntry entry, MessageHandleImpl handle) implements Command {}

  private record QueueFailed(MessageHandleImpl handle, String reason) implements Command {}

  private record RetryCopy(EventId wrapId) implements Command {}

  private record SyncStorageReady(long run, List<RelayUrl> relays, SortedVectorStorage storage) implements Command {}

  private record SyncReportArrived(SyncReport report) implements Command {}

  private record SyncTimedOut(long run) implements Command {}

  private record Resync() implements Command {}

  private record SyncFlushed(long run) implements Command {}

  private record DeletionTimedOut(EventId requestId) implements Command {}

  private record SettleTimedOut(EventId rumorId) implements Command {}

  private record RetireReady() implements Command {}

  private record RetireClosed(ActorRef<Done> replyTo) implements Command {}

  // ---- Factory ----------------------------------------------------------------------------------

  /** Events of two days before a cursor may still arrive later: NIP-59 backdates wraps. */
  public static final long OVERLAP_SECONDS = GiftWrap.MAX_BACKDATE_SECONDS + 15 * 60;

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CircleActor.class);
  private static final String SUBSCRIPTION = "inbox";
  private static final Duration PUBLISH_DEADLINE = Duration.ofSeconds(30);
  private static final Duration DELETION_WAIT = Duration.ofSeconds(30);
  private static final Duration RETIRE_WAIT = Duration.ofSeconds(3);
  private static final Duration BACKGROUND_SYNC_TIMEOUT = Duration.ofMinutes(10);

  public static Behavior<Command> create(EngineContext engine, String name, List<RelayUrl> relays,
      ActorRef<DeviceActor.Command> device, CircleRouting routing) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new CircleActor(ctx, timers, engine, name, relays, device, routing).running()));
  }

  // ---- State ------------------------------------------------------------------------------------

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final EngineContext engine;
  private final String name;
  private final CircleId circleId;
  private final ActorRef<DeviceActor.Command> device;
  private final IngestPipeline ingest;
  private final CircleAuthored authored;
  private final ActorRef<Command> self;
  private final ActorRef<PublishOutcome> outcomeAdapter;
  private final ActorRef<PublishReport> reportAdapter;
  private final ActorRef<RelayEvent> relayEventAdapter;
  private final ActorRef<SyncReport> syncAdapter;
  private final Filter wrapFilter;
  /** The subscription's wrap filter: live only (limit 0); history comes by reconciliation. */
  private final Filter liveWrapFilter;
  private final Filter stateFilter;

  private List<RelayUrl> relays;
  private ActorRef<RelayPool.Command> pool;
  private long poolGeneration;
  private Map<RelayUrl, ActorRef<RelayActor.Command>> relayRefs = Map.of();
  private final List<Sync> waitingForRelays = new ArrayList<>();
  private final java.util.Set<RelayUrl> open = new java.util.HashSet<>();
  private final java.util.Set<RelayUrl> syncing = new java.util.HashSet<>();

  private final Map<EventId, PendingSend> outbox = new LinkedHashMap<>();
  /** Sent or failed, with relays yet to answer: their answers are still reported. */
  private final Map<EventId, PendingSend> settling = new HashMap<>();
  private final Map<EventId, CopyRef> copiesByWrap = new HashMap<>();
  private final Map<EventId, Integer> retries = new HashMap<>();
  private final Map<EventId, DeletionHandleImpl> deletionRequests = new HashMap<>();

  private long syncRuns;
  private final Map<Long, SyncRun> syncs = new HashMap<>();
  private boolean retiring;

  private static final class PendingSend {
    OutboxEntry entry;
    final Optional<MessageHandleImpl> handle;

    PendingSend(OutboxEntry entry, Optional<MessageHandleImpl> handle) {
      this.entry = entry;
      this.handle = handle;
    }
  }

  private record CopyRef(EventId rumorId, PublicKey recipient) {}

  private static final class SyncRun {
    final Optional<ActorRef<SyncResult>> replyTo;
    final Map<String, SyncResult.RelaySync> results = new LinkedHashMap<>();
    final List<String> expected;
    boolean flushing;

    SyncRun(Optional<ActorRef<SyncResult>> replyTo, List<String> expected) {
      this.replyTo = replyTo;
      this.expected = expected;
    }
  }

  private CircleActor(ActorContext<Command> ctx, TimerScheduler<Command> timers, EngineContext engine,
      String name, List<RelayUrl> relays, ActorRef<DeviceActor.Command> device, CircleRouting routing) {
    this.ctx = ctx;
    this.timers = timers;
    this.engine = engine;
    this.name = name;
    this.circleId = CircleId.of(name);
    this.device = device;
    this.relays = List.copyOf(relays);
    this.self = ctx.getSelf();
    this.outcomeAdapter = ctx.messageAdapter(PublishOutcome.class, OutcomeArrived::new);
    this.reportAdapter = ctx.messageAdapter(PublishReport.class, ReportIgnored::new);
    this.relayEventAdapter = ctx.messageAdapter(RelayEvent.class, RelayEventArrived::new);
    this.syncAdapter = ctx.messageAdapter(SyncReport.class, SyncReportArrived::new);
    String me = engine.keys().publicKey().hex();
    this.wrapFilter = Filter.builder().kinds(GiftWrap.WRAP_KIND).tag('p', me).build();
    this.liveWrapFilter = Filter.builder().kinds(GiftWrap.WRAP_KIND).tag('p', me).limit(0).build();
    this.stateFilter = Filter.builder().kinds(DeviceStateEvents.KIND).authors(engine.keys().publicKey()).build();
    EngineContext.IngestSettings settings = engine.ingest();
    int capacity = Math.max(1024, 4 * engine.relaySettings().ingestWindow() * Math.max(1, relays.size()) + 4096);
    this.ingest = new IngestPipeline(name, engine.store(), engine.keys(), engine.curve(), engine.executor(),
        Materializer.matFromSystem(ctx.getSystem()), engine::nowSeconds, settings.batch(), settings.window(),
        settings.parallelism(), capacity, (relay, rumor) -> routing.belongsHere(name, relay, rumor), new Published(),
        engine.bugs());
    this.authored = new CircleAuthored(engine.store(), circleId, engine.executor());
    resumeOutbox();
    startPool();
    if (!engine.resyncInterval().isZero()) {
      timers.startTimerWithFixedDelay("resync", new Resync(), engine.resyncInterval());
    }
  }

  /** Publishes what each commit changed; runs on the ingest stream's thread. */
  private final class Published implements IngestPipeline.Listener {
    @Override
    public void committed(IngestPipeline.Committed committed) {
      for (StoredMessage message : committed.result().appended()) {
        if (message.rumor().event().kind() != ChatRumors.DELETION) {
          engine.events().publish(new EngineEvent.MessageAdded(ApiMapping.message(name, message)));
        }
      }
      for (RumorRef erased : committed.result().erased()) {
        engine.events().publish(new EngineEvent.MessageDeleted(name, erased.rumorId().hex(), false));
      }
      if (!committed.deletionsApplied().isEmpty()) {
        device.tell(new DeviceActor.DeletionsApplied(committed.deletionsApplied().stream().map(EventId::hex).toList()));
      }
      committed.deviceStates().forEach(state -> device.tell(new DeviceActor.RemoteState(state)));
      if (!committed.deletedWraps().isEmpty()) {
        self.tell(new RequestDeletion(committed.deletedWraps(), Optional.empty()));
      }
    }

    @Override
    public void failed(String what, Throwable cause) {
      LOG.error("circle ingest: {} failed: {}", what, cause.getClass().getSimpleName());
      engine.events().publish(new EngineEvent.EngineError(name, what + " failed: " + cause.getClass().getSimpleName()));
    }
  }

  private Behavior<Command> running() {
    return Behaviors.receive(Command.class)
        .onMessage(Send.class, this::onSend)
        .onMessage(Queued.class, this::onQueued)
        .onMessage(QueueFailed.class, this::onQueueFailed)
        .onMessage(OutcomeArrived.class, this::onOutcome)
        .onMessage(ReportIgnored.class, m -> Behaviors.same())
        .onMessage(RetryCopy.class, this::onRetryCopy)
        .onMessage(RequestDeletion.class, this::onRequestDeletion)
        .onMessage(DeletionTimedOut.class, this::onDeletionTimedOut)
        .onMessage(SettleTimedOut.class, this::onSettleTimedOut)
        .onMessage(PublishDeviceState.class, this::onPublishDeviceState)
        .onMessage(Sync.class, this::onSync)
        .onMessage(SyncStorageReady.class, this::onSyncStorageReady)
        .onMessage(SyncReportArrived.class, this::onSyncReport)
        .onMessage(SyncTimedOut.class, this::onSyncTimedOut)
        .onMessage(Resync.class, this::onResync)
        .onMessage(SyncFlushed.class, this::onSyncFlushed)
        .onMessage(RelaysKnown.class, this::onRelaysKnown)
        .onMessage(RelayEventArrived.class, this::onRelayEvent)
        .onMessage(SetRelays.class, this::onSetRelays)
        .onMessage(GetHealth.class, this::onGetHealth)
        .onMessage(Retire.class, this::onRetire)
        .onMessage(RetireReady.class, m -> Behaviors.same())
        .onMessage(RetireClosed.class, m -> {
          m.replyTo().tell(Done.getInstance());
          return Behaviors.stopped();
        })
        .onSignal(PostStop.class, signal -> {
          settleAll();
          ingest.close();
          return Behaviors.same();
        })
        .build();
  }

  // ---- Relays ---------------------------------------------------------------------------------

  private void startPool() {
    if (engine.transport().isEmpty() || relays.isEmpty()) {
      return;
    }
    poolGeneration++;
    RelayDeps deps = new RelayDeps(engine.transport().get(), ingest, engine.clock(), engine.random(),
        engine.curve(), Optional.of(engine.keys()), Optional.of(relayEventAdapter), Optional.of(authored));
    pool = ctx.spawn(RelayPool.create(relays, engine.relaySettings(), deps, Optional.of(outcomeAdapter)),
        "pool-" + poolGeneration);
    long generation = poolGeneration;
    Asks.ask(ctx, pool, Duration.ofSeconds(10), RelayPool.GetRelays::new,
        (map, failure) -> new RelaysKnown(generation, map == null ? Map.of() : map));
    for (PendingSend pending : outbox.values()) {
      publishPending(pending);
    }
  }

  private Behavior<Command> onRelaysKnown(RelaysKnown m) {
    if (m.poolGeneration() != poolGeneration) {
      return Behaviors.same();
    }
    relayRefs = m.relays();
    Map<String, SyncCursor> cursors = engine.store().cursors(circleId);
    for (Map.Entry<RelayUrl, ActorRef<RelayActor.Command>> e : relayRefs.entrySet()) {
      SyncCursor cursor = cursors.get(e.getKey().value());
      e.getValue().tell(new RelayActor.Subscribe(SUBSCRIPTION, List.of(liveWrapFilter, stateFilter),
          cursor == null ? OptionalLong.empty() : OptionalLong.of(cursor.since()), OVERLAP_SECONDS));
    }
    syncOpenRelays();
    List<Sync> waiting = new ArrayList<>(waitingForRelays);
    waitingForRelays.clear();
    waiting.forEach(w -> startSync(w, relayRefs.keySet()));
    return Behaviors.same();
  }

  private Behavior<Command> onRelayEvent(RelayEventArrived m) {
    RelayEvent event = m.event();
    if (event instanceof RelayEvent.StateChanged changed) {
      engine.events().publish(new EngineEvent.RelayHealthChanged(name, changed.relay().value(), changed.state().name()));
      if (changed.state() == ConnectionState.OPEN) {
        // History and anything missed while away come by reconciliation; the subscription is live.
        open.add(changed.relay());
        if (relayRefs.containsKey(changed.relay())) {
          startSync(new Sync(BACKGROUND_SYNC_TIMEOUT, null), List.of(changed.relay()));
        }
      } else {
        open.remove(changed.relay());
      }
    } else if (event instanceof RelayEvent.CursorAdvanced advanced && SUBSCRIPTION.equals(advanced.subscriptionId())) {
      ingest.cursor(advanced.relay().value(), advanced.createdAt());
    } else if (event instanceof RelayEvent.SubscriptionClosed closed) {
      engine.events().publish(new EngineEvent.EngineError(name, "relay " + closed.relay() + " closed a subscription"));
    } else if (event instanceof RelayEvent.AuthRefused refused) {
      engine.events().publish(new EngineEvent.EngineError(name, "relay " + refused.relay() + " refused AUTH"));
    } else if (event instanceof RelayEvent.AuthTimedOut timedOut) {
      engine.events().publish(new EngineEvent.EngineError(name, "relay " + timedOut.relay() + ": " + timedOut.reason()));
    }
    return Behaviors.same();
  }

  private Behavior<Command> onSetRelays(SetRelays m) {
    if (m.relays().equals(relays)) {
      return Behaviors.same();
    }
    relays = List.copyOf(m.relays());
    if (pool != null) {
      ctx.stop(pool);
      pool = null;
      relayRefs = Map.of();
      open.clear();
      syncing.clear();
    }
    for (PendingSend pending : outbox.values()) {
      pending.entry = withRelays(pending.entry);
    }
    startPool();
    return Behaviors.same();
  }

  private Behavior<Command> onGetHealth(GetHealth m) {
    if (pool == null) {
      m.replyTo().tell(List.of());
    } else {
      pool.tell(new RelayPool.GetHealth(m.replyTo()));
    }
    return Behaviors.same();
  }

  // ---- Sending --------------------------------------------------------------------------------

  private Behavior<Command> onSend(Send m) {
    Rumor rumor = m.rumor();
    List<RelayUrl> targets = relays;
    // Injected bug: QUEUED is reported before the outbox entry is durable.
    boolean early = engine.has(InjectedBug.ACK_BEFORE_DURABLE_WRITE);
    CompletableFuture
        .supplyAsync(() -> prepare(rumor, targets), engine.executor())
        .thenCompose(prepared -> {
          if (early) {
            ctx.getSelf().tell(new Queued(prepared.entry(), m.handle()));
          }
          return ingest.write(new IngestPipeline.LocalWrite(batch -> {
            batch.putOutbox(prepared.entry());
            for (EventId target : m.erase()) {
              batch.tombstone(circleId, target, engine.nowSeconds());
            }
            NostrEvent self = prepared.selfWrap();
            ConversationId conversation = new ConversationId(Hex.decode(ChatRoom.of(rumor).id()));
            batch.appendMessage(circleId, conversation, rumor, Optional.of(self.id()));
            batch.recordEvent(circleId, self);
          }, List.of(rumor), true)).thenApply(result -> prepared.entry());
        })
        .whenComplete((entry, failure) -> {
          if (failure != null) {
            ctx.getSelf().tell(new QueueFailed(m.handle(), "the outbox could not be written: " + rootName(failure)));
          } else if (!early) {
            ctx.getSelf().tell(new Queued(entry, m.handle()));
          }
        });
    return Behaviors.same();
  }

  /** The outbox entry of a send, and the wrap to self that the local log records. */
  private record Prepared(OutboxEntry entry, NostrEvent selfWrap) {}

  private Prepared prepare(Rumor rumor, List<RelayUrl> targets) {
    List<PrivateMessages.Copy> copies = PrivateMessages.wrapForRoom(rumor, engine.keys(), engine.giftWrap());
    long now = engine.clock().millis();
    PublicKey me = engine.keys().publicKey();
    List<OutboxCopy> outboxCopies = new ArrayList<>();
    NostrEvent selfWrap = null;
    for (PrivateMessages.Copy copy : copies) {
      if (copy.recipient().equals(me)) {
        selfWrap = copy.wrap();
        // Injected bug: the copy to self is never published.
        if (engine.has(InjectedBug.DROP_SELF_COPY) && copies.size() > 1) {
          continue;
        }
      }
      List<RelayAck> acks = new ArrayList<>();
      for (RelayUrl relay : targets) {
        acks.add(RelayAck.pending(relay.value(), now));
      }
      outboxCopies.add(new OutboxCopy(copy.recipient(), copy.wrap(), acks));
    }
    if (selfWrap == null) {
      throw new IllegalStateException("a room's wraps always include one to self");
    }
    return new Prepared(new OutboxEntry(circleId, rumor.id(), now, outboxCopies), selfWrap);
  }

  private Behavior<Command> onQueued(Queued m) {
    PendingSend pending = new PendingSend(m.entry(), Optional.of(m.handle()));
    register(pending);
    report(pending);
    publishPending(pending);
    return Behaviors.same();
  }

  private Behavior<Command> onQueueFailed(QueueFailed m) {
    m.handle().fail(m.reason());
    engine.events().publish(new EngineEvent.MessageStatusChanged(name, m.handle().status()));
    return Behaviors.same();
  }

  private void resumeOutbox() {
    long now = engine.clock().millis();
    for (OutboxEntry entry : engine.store().pendingOutbox(circleId)) {
      if (!status(entry).isTerminal()) {
        register(new PendingSend(withRelays(entry), Optional.empty()));
      } else if (CircleAuthored.expired(entry, now)) {
        ingest.write(new IngestPipeline.LocalWrite(batch -> batch.removeOutbox(circleId, entry.rumorId()), List.of(), false));
      } // else kept, as what a relay that lost it gets back (CircleAuthored)
    }
  }

  private void register(PendingSend pending) {
    outbox.put(pending.entry.rumorId(), pending);
    for (OutboxCopy copy : pending.entry.copies()) {
      copiesByWrap.put(copy.wrap().id(), new CopyRef(pending.entry.rumorId(), copy.recipient()));
    }
  }

  /** The entry with a PENDING ack for each current relay it has no state for. */
  private OutboxEntry withRelays(OutboxEntry entry) {
    long now = engine.clock().millis();
    List<OutboxCopy> copies = new ArrayList<>();
    for (OutboxCopy copy : entry.copies()) {
      OutboxCopy updated = copy;
      for (RelayUrl relay : relays) {
        if (copy.acks().stream().noneMatch(a -> a.relayUrl().equals(relay.value()))) {
          updated = updated.withAck(RelayAck.pending(relay.value(), now));
        }
      }
      copies.add(updated);
    }
    return new OutboxEntry(entry.circle(), entry.rumorId(), entry.createdAt(), copies);
  }

  private void publishPending(PendingSend pending) {
    if (pool == null) {
      return;
    }
    MessageStatus status = status(pending.entry);
    for (OutboxCopy copy : pending.entry.copies()) {
      Map<String, MessageStatus.CopyState> perRelay = status.copies().get(copy.recipient().hex());
      boolean open = perRelay == null || perRelay.values().contains(MessageStatus.CopyState.PENDING);
      if (open) {
        pool.tell(new RelayPool.Publish(copy.wrap(), requiredAcks(), PUBLISH_DEADLINE, reportAdapter));
      }
    }
  }

  private int requiredAcks() {
    return Math.max(1, Math.min(engine.requiredAcks(), relays.size()));
  }

  private MessageStatus status(OutboxEntry entry) {
    return OutboxStatus.of(entry, relays.stream().map(RelayUrl::value).toList(), engine.requiredAcks());
  }

  private Behavior<Command> onOutcome(OutcomeArrived m) {
    PublishOutcome outcome = m.outcome();
    CopyRef ref = copiesByWrap.get(outcome.eventId());
    if (ref != null) {
      onCopyOutcome(ref, outcome);
      return Behaviors.same();
    }
    if (outcome.isSuccess()) {
      authored.accepted(outcome.eventId(), outcome.relay());
    }
    DeletionHandleImpl deletion = deletionRequests.get(outcome.eventId());
    if (deletion != null && (outcome.isSuccess() || outcome.status().isFinal())) {
      deletion.relayAnswered(outcome.relay().value(), outcome.isSuccess());
    }
    return Behaviors.same();
  }

  private void onCopyOutcome(CopyRef ref, PublishOutcome outcome) {
    PendingSend pending = outbox.get(ref.rumorId());
    if (pending == null) {
      onLateOutcome(ref, outcome);
      return;
    }
    Optional<RelayAck> answer = ackOf(outcome);
    if (answer.isEmpty()) {
      scheduleRetry(outcome.eventId());
      return;
    }
    Optional<MessageStatus> recorded = record(pending, ref, answer.get());
    if (recorded.isEmpty()) {
      return;
    }
    MessageStatus status = recorded.get();
    EventId rumorId = ref.rumorId();
    if (status.isTerminal()) {
      outbox.remove(rumorId);
      pending.entry.copies().forEach(copy -> {
        retries.remove(copy.wrap().id());
        timers.cancel(copy.wrap().id());
      });
      if (answeredByAll(status)) {
        settled(pending);
      } else {
        settling.put(rumorId, pending);
        timers.startSingleTimer(settleTimer(rumorId), new SettleTimedOut(rumorId), PUBLISH_DEADLINE);
      }
    }
  }

  /** An answer after SENT or FAILED: reported per copy and per relay; nothing is retried. */
  private void onLateOutcome(CopyRef ref, PublishOutcome outcome) {
    PendingSend pending = settling.get(ref.rumorId());
    Optional<RelayAck> answer = ackOf(outcome);
    if (pending == null || answer.isEmpty()) {
      return;
    }
    Optional<MessageStatus> status = record(pending, ref, answer.get());
    if (status.isPresent() && answeredByAll(status.get())) {
      settling.remove(ref.rumorId());
      timers.cancel(settleTimer(ref.rumorId()));
      settled(pending);
    }
  }

  /** A relay's answer for the outbox; empty when it is worth asking again. */
  private Optional<RelayAck> ackOf(PublishOutcome outcome) {
    long now = engine.clock().millis();
    if (outcome.isSuccess()) {
      return Optional.of(new RelayAck(outcome.relay().value(), AckState.ACCEPTED, "", now));
    } else if (outcome.status().isFinal()) {
      return Optional.of(new RelayAck(outcome.relay().value(), AckState.FAILED,
          outcome.status() + ": " + outcome.message(), now));
    }
    return Optional.empty();
  }

  /**
   * Records one relay's answer for one copy, durably, and reports the new status; empty if the
   * entry has no such copy. A finished entry stays in the store (CircleAuthored) until it
   * expires: its acks say which relays to repair.
   */
  private Optional<MessageStatus> record(PendingSend pending, CopyRef ref, RelayAck ack) {
    Optional<OutboxEntry> updated = pending.entry.withAck(ref.recipient(), ack);
    if (updated.isEmpty()) {
      return Optional.empty();
    }
    pending.entry = updated.get();
    ingest.write(new IngestPipeline.LocalWrite(
        batch -> batch.updateAck(circleId, ref.rumorId(), ref.recipient(), ack), List.of(), false));
    return Optional.of(report(pending));
  }

  private Behavior<Command> onSettleTimedOut(SettleTimedOut m) {
    PendingSend pending = settling.remove(m.rumorId());
    if (pending != null) {
      settled(pending);
    }
    return Behaviors.same();
  }

  private static boolean answeredByAll(MessageStatus status) {
    return status.copies().values().stream()
        .noneMatch(perRelay -> perRelay.containsValue(MessageStatus.CopyState.PENDING));
  }

  private void settled(PendingSend pending) {
    pending.entry.copies().forEach(copy -> copiesByWrap.remove(copy.wrap().id()));
    pending.handle.ifPresent(MessageHandleImpl::settle);
  }

  private void settleAll() {
    new ArrayList<>(settling.values()).forEach(this::settled);
    settling.clear();
  }

  private static String settleTimer(EventId rumorId) {
    return "settle-" + rumorId.hex();
  }

  private MessageStatus report(PendingSend pending) {
    MessageStatus status = status(pending.entry);
    pending.handle.ifPresent(handle -> handle.update(status));
    engine.events().publish(new EngineEvent.MessageStatusChanged(name, status));
    return status;
  }

  private void scheduleRetry(EventId wrapId) {
    int attempt = retries.merge(wrapId, 1, Integer::sum);
    long millis = Math.min(60_000L, 1000L << Math.min(6, attempt));
    timers.startSingleTimer(wrapId, new RetryCopy(wrapId), Duration.ofMillis(millis));
  }

  private Behavior<Command> onRetryCopy(RetryCopy m) {
    CopyRef ref = copiesByWrap.get(m.wrapId());
    if (ref == null || pool == null) {
      return Behaviors.same();
    }
    PendingSend pending = outbox.get(ref.rumorId());
    if (pending != null) {
      pending.entry.copyFor(ref.recipient()).ifPresent(copy ->
          pool.tell(new RelayPool.Publish(copy.wrap(), requiredAcks(), PUBLISH_DEADLINE, reportAdapter)));
    }
    return Behaviors.same();
  }

  // ---- Deletion and device state ------------------------------------------------------------------

  private Behavior<Command> onRequestDeletion(RequestDeletion m) {
    if (pool == null || m.wrapIds().isEmpty()) {
      m.tracker().ifPresent(t -> t.expectRelays(List.of()));
      return Behaviors.same();
    }
    // NIP-09 + NIP-59: a recipient may ask for the wraps p-tagging it to be deleted.
    byte[] aux = new byte[32];
    engine.random().nextBytes(aux);
    NostrEvent request = Deletions.request(engine.keys().publicKey(), engine.nowSeconds(), m.wrapIds(),
        List.of(), List.of(GiftWrap.WRAP_KIND), "").sign(engine.keys(), engine.curve(), aux);
    m.tracker().ifPresent(tracker -> {
      deletionRequests.put(request.id(), tracker);
      tracker.expectRelays(relays.stream().map(RelayUrl::value).toList());
    });
    authored.published(request);
    pool.tell(new RelayPool.Publish(request, relays.size(), PUBLISH_DEADLINE, reportAdapter));
    timers.startSingleTimer(request.id(), new DeletionTimedOut(request.id()), DELETION_WAIT);
    return Behaviors.same();
  }

  private Behavior<Command> onDeletionTimedOut(DeletionTimedOut m) {
    DeletionHandleImpl tracker = deletionRequests.remove(m.requestId());
    if (tracker != null) {
      tracker.expire();
    }
    return Behaviors.same();
  }

  private Behavior<Command> onPublishDeviceState(PublishDeviceState m) {
    if (pool != null) {
      authored.published(m.event());
      pool.tell(new RelayPool.Publish(m.event(), 1, PUBLISH_DEADLINE, reportAdapter));
    }
    return Behaviors.same();
  }

  // ---- Sync -------------------------------------------------------------------------------------

  private Behavior<Command> onSync(Sync m) {
    if (pool == null) {
      m.replyTo().tell(new SyncResult(name, List.of()));
    } else if (relayRefs.isEmpty()) {
      waitingForRelays.add(m);
    } else {
      startSync(m, relayRefs.keySet());
    }
    return Behaviors.same();
  }

  /**
   * Reconciles {@code targets}. A relay already reconciling is not asked again: this run takes
   * that relay's answer when it comes, so a sync right after a (re)connection costs one pass.
   */
  private void startSync(Sync m, java.util.Collection<RelayUrl> targets) {
    long run = ++syncRuns;
    List<String> expected = targets.stream().map(RelayUrl::value).sorted().toList();
    SyncRun sync = new SyncRun(Optional.ofNullable(m.replyTo()), expected);
    syncs.put(run, sync);
    timers.startSingleTimer("sync-" + run, new SyncTimedOut(run), m.timeout());
    List<RelayUrl> fresh = targets.stream().filter(url -> !syncing.contains(url)).toList();
    if (fresh.isEmpty()) {
      return;
    }
    syncing.addAll(fresh);
    ctx.pipeToSelf(CompletableFuture.supplyAsync(this::localItems, engine.executor()),
        (storage, failure) -> new SyncStorageReady(run, fresh,
            storage == null ? SortedVectorStorage.empty() : storage));
  }

  /** A relay's live path may lose an event it stored; a periodic reconciliation fetches it. */
  private Behavior<Command> onResync(Resync m) {
    syncOpenRelays();
    return Behaviors.same();
  }

  /** A background sync with every relay of the pool that is connected now. */
  private void syncOpenRelays() {
    List<RelayUrl> connected = relayRefs.keySet().stream().filter(open::contains).toList();
    if (!connected.isEmpty()) {
      startSync(new Sync(BACKGROUND_SYNC_TIMEOUT, null), connected);
    }
  }

  /** What we hold for the wrap filter, in NIP-77 order. Every wrap ingested or sent is recorded. */
  private SortedVectorStorage localItems() {
    List<Item> items = new ArrayList<>();
    engine.store().forEachNegentropyItem(circleId, 0, Long.MAX_VALUE, (createdAt, id) -> items.add(new Item(createdAt, id)));
    return SortedVectorStorage.of(items);
  }

  private Behavior<Command> onSyncStorageReady(SyncStorageReady m) {
    for (RelayUrl url : m.relays()) {
      ActorRef<RelayActor.Command> relay = relayRefs.get(url);
      if (relay == null) {
        syncing.remove(url);
      } else {
        relay.tell(new RelayActor.Sync("xs" + m.run() + "-" + url.hashCode(), wrapFilter, m.storage(), syncAdapter));
      }
    }
    return Behaviors.same();
  }

  private Behavior<Command> onSyncReport(SyncReportArrived m) {
    SyncReport report = m.report();
    if (!report.syncId().startsWith("xs")) {
      return Behaviors.same();
    }
    syncing.remove(report.relay());
    SyncResult.RelaySync result = new SyncResult.RelaySync(report.relay().value(),
        report.completeness() == SyncReport.Completeness.COMPLETE, report.method().name(),
        report.eventsReceived(),
        report.fellBack() ? ("NIP-77 failed, paged instead" + (report.detail().isEmpty() ? "" : "; " + report.detail()))
            : report.detail());
    for (Map.Entry<Long, SyncRun> e : new ArrayList<>(syncs.entrySet())) {
      SyncRun sync = e.getValue();
      if (sync.flushing || !sync.expected.contains(result.relay()) || sync.results.containsKey(result.relay())) {
        continue;
      }
      sync.results.put(result.relay(), result);
      engine.events().publish(new EngineEvent.SyncProgress(name, result, sync.results.size(), sync.expected.size()));
      if (sync.results.keySet().containsAll(sync.expected)) {
        finishSync(e.getKey(), sync);
      }
    }
    return Behaviors.same();
  }

  private Behavior<Command> onSyncTimedOut(SyncTimedOut m) {
    SyncRun sync = syncs.get(m.run());
    if (sync != null && !sync.flushing) {
      for (String relay : sync.expected) {
        sync.results.putIfAbsent(relay, new SyncResult.RelaySync(relay, false, "NONE", 0, "no answer in time"));
      }
      finishSync(m.run(), sync);
    }
    return Behaviors.same();
  }

  private void finishSync(long run, SyncRun sync) {
    sync.flushing = true;
    timers.cancel("sync-" + run);
    ctx.pipeToSelf(ingest.flush(), (ok, failure) -> new SyncFlushed(run));
  }

  private Behavior<Command> onSyncFlushed(SyncFlushed m) {
    SyncRun sync = syncs.remove(m.run());
    if (sync != null) {
      List<SyncResult.RelaySync> results = new ArrayList<>();
      for (String relay : sync.expected) {
        results.add(sync.results.get(relay));
      }
      sync.replyTo.ifPresent(replyTo -> replyTo.tell(new SyncResult(name, results)));
    }
    return Behaviors.same();
  }

  // ---- Retiring -----------------------------------------------------------------------------------

  private Behavior<Command> onRetire(Retire m) {
    if (retiring) {
      return Behaviors.same();
    }
    retiring = true;
    if (pool != null && m.lastState().isPresent()) {
      Asks.<Command, RelayPool.Command, PublishReport>ask(ctx, pool, RETIRE_WAIT.plusSeconds(1),
          replyTo -> new RelayPool.Publish(m.lastState().get(), 1, RETIRE_WAIT, replyTo),
          (report, failure) -> new RetireReady());
    } else {
      ctx.getSelf().tell(new RetireReady());
    }
    ActorRef<Done> replyTo = m.replyTo();
    return Behaviors.receive(Command.class)
        .onMessage(RetireReady.class, r -> {
          closeThenStop(replyTo);
          return Behaviors.same();
        })
        .onMessage(RetireClosed.class, r -> {
          r.replyTo().tell(Done.getInstance());
          return Behaviors.stopped();
        })
        .onMessage(OutcomeArrived.class, this::onOutcome)
        .onMessage(Command.class, r -> Behaviors.same())
        .onSignal(PostStop.class, signal -> {
          settleAll();
          ingest.close();
          return Behaviors.same();
        })
        .build();
  }

  private boolean closing;

  private void closeThenStop(ActorRef<Done> replyTo) {
    if (closing) {
      return;
    }
    closing = true;
    if (pool != null) {
      ctx.stop(pool);
      pool = null;
    }
    ctx.pipeToSelf(ingest.close(), (done, failure) -> new RetireClosed(replyTo));
  }

  private static String rootName(Throwable failure) {
    Throwable t = failure;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getClass().getSimpleName();
  }
}
