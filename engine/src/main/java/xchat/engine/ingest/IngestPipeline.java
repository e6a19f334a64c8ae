package xchat.engine.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xchat.engine.api.InjectedBug;
import xchat.engine.device.DeviceStateEvents;
import xchat.engine.device.DeviceState;
import xchat.engine.relay.IngestEnvelope;
import xchat.engine.relay.IngestSink;
import xchat.engine.runtime.Asks;
import xchat.persistence.CircleId;
import xchat.persistence.CommitResult;
import xchat.persistence.EncryptedStore;
import xchat.persistence.StoreBatch;
import xchat.persistence.cursor.SyncCursor;
import xchat.persistence.log.ConversationId;
import xchat.persistence.log.StoredMessage;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.event.EventId;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.Rumor;
import xchat.protocol.hex.Hex;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.keys.PublicKey;
import xchat.protocol.nip17.ChatRoom;
import xchat.protocol.nip17.ChatRumors;
import xchat.protocol.nip40.Expiration;
import xchat.protocol.nip59.GiftWrap;
import xchat.protocol.nip59.UnwrapResult;
import xchat.protocol.nip59.Unwrapper;

/**
 * One circle's ingest stream, and its only writer to the store:
 *
 * <pre>
 * queue -> dedup (LRU, then the store) -> verify + unwrap (parallel, on the executor)
 *       -> group (catch-up waits a window, live and local do not)
 *       -> [dedup again, route, tombstone check, order, one atomic batch] -> publish, ack
 * </pre>
 *
 * The {@link Unwrapper} verifies the wrap and seal signatures itself, so verification and
 * unwrapping are one parallel step: splitting them would verify every wrap twice. Local writes
 * (sends, deletes, cursor advances) go through the same queue, so each commit is one batch and
 * the conversation index never races.
 *
 * <p>An envelope's acknowledgement completes only after its batch is committed (or after it was
 * dropped), so the relay actor's ingest window bounds what is in flight, and everything
 * acknowledged is durable.
 */
public final class IngestPipeline implements IngestSink {
  private static final Logger LOG = LoggerFactory.getLogger(IngestPipeline.class);
  private static final int LRU_CAPACITY = 50_000;
  /**
   * Items already waiting are opened together, one executor hand-off for them all; a lone live
   * wrap still goes at once, since the stage never waits to fill a chunk.
   */
  private static final int OPEN_CHUNK = 16;

  /**
   * What a committed batch changed, for the circle to publish.
   *
   * @param deletionsApplied rumor ids deleted by their authors' kind-5 rumors in this batch
   * @param deletedWraps wraps addressed to us that carried those rumors: the relays are asked to
   *     delete them (NIP-09, NIP-59)
   */
  public record Committed(
      CommitResult result, List<EventId> deletionsApplied, List<EventId> deletedWraps, List<DeviceState> deviceStates) {}

  /** Receives every commit, on the executor, in commit order. */
  public interface Listener {
    void committed(Committed committed);

    void failed(String what, Throwable cause);
  }

  /**
   * A local write: operations on the batch, and rumors whose conversations it touches. A
   * {@code durable} write is fsynced before its stage completes (a send must be on disk before it
   * is reported QUEUED); ingested wraps need not be, since their relays still hold them and the
   * cursor that would skip them is in the same batch.
   */
  public record LocalWrite(Consumer<StoreBatch> ops, List<Rumor> rumors, boolean durable) {
    public LocalWrite {
      Objects.requireNonNull(ops, "ops");
      rumors = List.copyOf(rumors);
    }
  }

  private sealed interface Item {}

  private record Envelope(IngestEnvelope envelope, CompletableFuture<Void> ack) implements Item {}

  private record Cursor(String relay, long createdAt) implements Item {}

  private record Local(LocalWrite write, CompletableFuture<CommitResult> done) implements Item {}

  private record Flush(CompletableFuture<Void> done) implements Item {}

  /** An item after the parallel step. */
  private sealed interface Opened {
    Item item();
  }

  private record Pass(Item item) implements Opened {}

  private record Unwrapped(Envelope item, UnwrapResult.Unwrapped unwrapped) implements Opened {}

  private record DeviceDoc(Envelope item, DeviceState state) implements Opened {}

  private record Dropped(Envelope item) implements Opened {}

  private final CircleId circle;
  private final String circleName;
  private final boolean skipTombstoneCheck;
  private final boolean ignoreLiveEvents;
  private final EncryptedStore store;
  private final KeyPair me;
  private final Secp256k1 curve;
  private final Unwrapper unwrapper;
  private final Executor executor;
  private final java.util.function.LongSupplier nowSeconds;
  private final Listener listener;
  private final java.util.function.BiPredicate<String, Rumor> belongsHere;
  private final BoundedSourceQueue<Item> queue;
  private final CompletionStage<Done> done;
  private final Map<EventId, Boolean> seen =
      new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<EventId, Boolean> eldest) {
          return size() > LRU_CAPACITY;
        }
      };
  // Touched only by the commit step, which runs one batch at a time.
  private final SortedMap<String, List<String>> conversations;
  private PendingDeletions pendingDeletions;

  public IngestPipeline(
      String circleName,
      EncryptedStore store,
      KeyPair me,
      Secp256k1 curve,
      Executor executor,
      Materializer materializer,
      java.util.function.LongSupplier nowSeconds,
      int batch,
      Duration window,
      int parallelism,
      int capacity,
      java.util.function.BiPredicate<String, Rumor> belongsHere,
      Listener listener) {
    this(circleName, store, me, curve, executor, materializer, nowSeconds, batch, window, parallelism, capacity,
        belongsHere, listener, java.util.Set.of());
  }

  /** With bugs switched on, for the simulator's mutation tests. */
  public IngestPipeline(
      String circleName,
      EncryptedStore store,
      KeyPair me,
      Secp256k1 curve,
      Executor executor,
      Materializer materializer,
      java.util.function.LongSupplier nowSeconds,
      int batch,
      Duration window,
      int parallelism,
      int capacity,
      java.util.function.BiPredicate<String, Rumor> belongsHere,
      Listener listener,
      java.util.Set<InjectedBug> bugs) {
    this.skipTombstoneCheck = bugs.contains(InjectedBug.SKIP_TOMBSTONE_CHECK);
    this.ignoreLiveEvents = bugs.contains(InjectedBug.IGNORE_LIVE_EVENTS);
    this.belongsHere = belongsHere;
    this.circle = CircleId.of(circleName);
    this.circleName = circleName;
    this.store = store;
    this.me = me;
    this.curve = curve;
    this.unwrapper = new Unwrapper(me, curve);
    this.executor = executor;
    this.nowSeconds = nowSeconds;
    this.listener = listener;
    this.conversations = ConversationIndex.load(store, circleName);
    this.pendingDeletions = PendingDeletions.load(store, circleName);
    Pair<BoundedSourceQueue<Item>, CompletionStage<Done>> pair =
        Source.<Item>queue(capacity)
            .filter(this::firstSight)
            .batch(OPEN_CHUNK, IngestPipeline::chunk, IngestPipeline::addToChunk)
            .mapAsync(parallelism, this::open)
            .mapConcat(opened -> opened)
            .via(grouping(batch, window))
            .mapAsync(1, group -> CompletableFuture.supplyAsync(() -> commit(group), executor))
            .toMat(Sink.foreach(Runnable::run), Keep.both())
            .run(materializer);
    this.queue = pair.first();
    this.done = Asks.on(pair.second(), executor);
  }

  /** Catch-up wraps may wait {@code window} to share a commit; what someone waits for does not. */
  private static Flow<Opened, List<Opened>, NotUsed> grouping(int batch, Duration window) {
    return Flow.fromGraph(new LingeringGroups<>(batch, window, IngestPipeline::isUrgent));
  }

  private static boolean isUrgent(Opened opened) {
    Item item = opened.item();
    return item instanceof Local || item instanceof Flush
        || item instanceof Envelope envelope && envelope.envelope().live();
  }

  // ---- Entry points (any thread) ------------------------------------------------------------------

  @Override
  public CompletionStage<Void> offer(IngestEnvelope envelope) {
    CompletableFuture<Void> ack = new CompletableFuture<>();
    enqueue(new Envelope(envelope, ack), ack);
    return ack;
  }

  /** Records a relay's cursor in the batch after everything already queued. */
  public void cursor(String relay, long createdAt) {
    enqueue(new Cursor(relay, createdAt), null);
  }

  /** Commits {@code write} in the next batch; completes with that batch's result. */
  public CompletionStage<CommitResult> write(LocalWrite write) {
    CompletableFuture<CommitResult> result = new CompletableFuture<>();
    enqueue(new Local(write, result), result);
    return result;
  }

  /** Completes once everything queued before it is committed. */
  public CompletionStage<Void> flush() {
    CompletableFuture<Void> flushed = new CompletableFuture<>();
    enqueue(new Flush(flushed), flushed);
    return flushed;
  }

  /** Stops taking items, commits what is queued, and completes when the stream has ended. */
  public CompletionStage<Done> close() {
    if (!queue.isCompleted()) {
      queue.complete();
    }
    return done;
  }

  private void enqueue(Item item, CompletableFuture<?> onRefusal) {
    if (queue.isCompleted() && item instanceof Envelope envelope) {
      // Closing: the relay actors are stopping too. Nothing is lost: the cursor was not advanced
      // past this event, so the next run fetches it again.
      envelope.ack().complete(null);
      return;
    }
    if (queue.isCompleted() && item instanceof Cursor) {
      return;
    }
    QueueOfferResult result = queue.isCompleted() ? QueueOfferResult.closed() : queue.offer(item);
    if (result != QueueOfferResult.enqueued()) {
      IllegalStateException refused = new IllegalStateException(
          "the ingest queue of a circle refused an item: " + result.getClass().getSimpleName());
      if (onRefusal != null) {
        onRefusal.completeExceptionally(refused);
      } else {
        LOG.warn("{}", refused.getMessage());
      }
    }
  }

  // ---- Stages -------------------------------------------------------------------------------------

  /** Dedup before any crypto: a wrap seen before (in memory, or recorded in the store) is dropped. */
  private boolean firstSight(Item item) {
    if (!(item instanceof Envelope envelope)) {
      return true;
    }
    if (ignoreLiveEvents && envelope.envelope().live()) {
      envelope.ack().complete(null);
      return false;
    }
    EventId id = envelope.envelope().event().id();
    boolean known;
    synchronized (seen) {
      known = seen.containsKey(id);
    }
    if (!known && envelope.envelope().event().kind() == GiftWrap.WRAP_KIND) {
      try {
        known = store.hasSeenEvent(circle, id);
      } catch (RuntimeException e) {
        // A failed lookup must not end the stream: the commit checks duplicates again and
        // reports a store that cannot be used.
        LOG.warn("the dedup lookup failed, the commit will decide: {}", e.getClass().getSimpleName());
      }
    }
    if (known) {
      envelope.ack().complete(null);
    }
    return !known;
  }

  private static List<Item> chunk(Item first) {
    List<Item> chunk = new ArrayList<>(OPEN_CHUNK);
    chunk.add(first);
    return chunk;
  }

  private static List<Item> addToChunk(List<Item> chunk, Item next) {
    chunk.add(next);
    return chunk;
  }

  private CompletionStage<List<Opened>> open(List<Item> chunk) {
    if (chunk.stream().noneMatch(item -> item instanceof Envelope)) {
      return CompletableFuture.completedFuture(chunk.stream().<Opened>map(Pass::new).toList());
    }
    return CompletableFuture.supplyAsync(() -> chunk.stream()
        .map(item -> item instanceof Envelope envelope ? openEnvelope(envelope) : new Pass(item))
        .toList(), executor);
  }

  private Opened openEnvelope(Envelope envelope) {
    NostrEvent event = envelope.envelope().event();
    try {
      if (event.kind() == GiftWrap.WRAP_KIND) {
        UnwrapResult result = unwrapper.unwrap(event);
        if (result instanceof UnwrapResult.Unwrapped unwrapped) {
          return new Unwrapped(envelope, unwrapped);
        }
        LOG.debug("a wrap was refused: {}", ((UnwrapResult.Rejected) result).reason());
        return new Dropped(envelope);
      }
      if (event.kind() == DeviceStateEvents.KIND && event.pubkey().equals(me.publicKey())) {
        Optional<DeviceState> state = DeviceStateEvents.open(event, me, curve);
        return state.<Opened>map(s -> new DeviceDoc(envelope, s)).orElseGet(() -> new Dropped(envelope));
      }
      return new Dropped(envelope);
    } catch (RuntimeException e) {
      LOG.warn("opening an event failed: {}", e.getClass().getSimpleName());
      return new Dropped(envelope);
    }
  }

  /** One atomic batch for the group; returns what to do once it is durable. */
  private Runnable commit(List<Opened> group) {
    List<CompletableFuture<Void>> acks = new ArrayList<>();
    List<CompletableFuture<Void>> flushes = new ArrayList<>();
    List<CompletableFuture<CommitResult>> locals = new ArrayList<>();
    List<Unwrapped> messages = new ArrayList<>();
    List<DeviceState> deviceStates = new ArrayList<>();
    List<LocalWrite> writes = new ArrayList<>();
    Map<String, Long> cursors = new TreeMap<>();
    List<EventId> marked = new ArrayList<>();
    for (Opened opened : group) {
      Item item = opened.item();
      if (item instanceof Envelope envelope) {
        acks.add(envelope.ack());
      }
      if (opened instanceof Unwrapped u) {
        if (mark(u.unwrapped().wrap().id())) {
          marked.add(u.unwrapped().wrap().id());
          messages.add(u);
        }
      } else if (opened instanceof DeviceDoc doc) {
        if (mark(doc.item().envelope().event().id())) {
          deviceStates.add(doc.state());
        }
      } else if (item instanceof Cursor cursor) {
        cursors.merge(cursor.relay(), cursor.createdAt(), Math::max);
      } else if (item instanceof Local local) {
        writes.add(local.write());
        locals.add(local.done());
      } else if (item instanceof Flush flush) {
        flushes.add(flush.done());
      }
    }
    try {
      StoreBatch batch = store.batch();
      Map<String, List<String>> newConversations = new TreeMap<>();
      for (LocalWrite write : writes) {
        write.ops().accept(batch);
        for (Rumor rumor : write.rumors()) {
          route(rumor, newConversations);
        }
      }
      List<EventId> deletedWraps = new ArrayList<>();
      PendingDeletions.Draft pending = new PendingDeletions.Draft(pendingDeletions);
      List<EventId> deletions = appendMessages(batch, messages, newConversations, pending, deletedWraps);
      if (pending.changed()) {
        batch.putDeviceState(PendingDeletions.documentKey(circleName), pending.result().encode());
      }
      long now = nowSeconds.getAsLong() * 1000;
      cursors.forEach((relay, at) -> batch.advanceCursor(circle, relay, new SyncCursor(at, Math.max(0, now))));
      if (!newConversations.isEmpty()) {
        Map<String, List<String>> all = new TreeMap<>(conversations);
        all.putAll(newConversations);
        batch.putDeviceState(ConversationIndex.documentKey(circleName), ConversationIndex.encode(all));
      }
      CommitResult result = batch.size() == 0 ? emptyResult() : batch.commit();
      if (writes.stream().anyMatch(LocalWrite::durable)) {
        store.flushWal();
      }
      conversations.putAll(newConversations);
      pendingDeletions = pending.result();
      Committed committed = new Committed(result, deletions, deletedWraps, deviceStates);
      return () -> {
        try {
          listener.committed(committed);
        } finally {
          acks.forEach(ack -> ack.complete(null));
          locals.forEach(local -> local.complete(result));
          flushes.forEach(flush -> flush.complete(null));
        }
      };
    } catch (RuntimeException e) {
      synchronized (seen) {
        marked.forEach(seen::remove); // not stored: a later copy must get through
      }
      return () -> {
        listener.failed("committing an ingest batch", e);
        // A relay's acknowledgement is flow control: the sink took the event and is still there.
        // Not stored, the event comes again with the next sync; failing the acknowledgement would
        // make the relay actor stop delivering for good.
        acks.forEach(ack -> ack.complete(null));
        locals.forEach(local -> local.completeExceptionally(e));
        flushes.forEach(flush -> flush.completeExceptionally(e));
      };
    }
  }

  private static CommitResult emptyResult() {
    return new CommitResult(List.of(), List.of(), List.of(), List.of(), List.of());
  }

  private boolean mark(EventId id) {
    synchronized (seen) {
      return seen.put(id, Boolean.TRUE) == null;
    }
  }

  /** The rumor's conversation; one not in the index yet is added to {@code newConversations}. */
  private ConversationId route(Rumor rumor, Map<String, List<String>> newConversations) {
    ChatRoom room = ChatRoom.of(rumor);
    String id = room.id();
    if (!conversations.containsKey(id) && !newConversations.containsKey(id)) {
      List<String> members = new ArrayList<>();
      for (PublicKey member : new TreeSet<>(room.members())) {
        members.add(member.hex());
      }
      newConversations.put(id, List.copyOf(members));
    }
    return new ConversationId(Hex.decode(id));
  }

  /**
   * Orders the group's rumors by (created_at, id), then appends each, applying deletions. Returns
   * the rumor ids erased by deletions in this group.
   */
  private List<EventId> appendMessages(StoreBatch batch, List<Unwrapped> opened,
      Map<String, List<String>> newConversations, PendingDeletions.Draft pending, List<EventId> deletedWraps) {
    List<UnwrapResult.Unwrapped> messages = new ArrayList<>();
    Map<EventId, String> relayOf = new HashMap<>();
    for (Unwrapped u : opened) {
      messages.add(u.unwrapped());
      relayOf.putIfAbsent(u.unwrapped().wrap().id(), u.item().envelope().relay().value());
    }
    messages.sort(Comparator.<UnwrapResult.Unwrapped>comparingLong(u -> u.rumor().event().createdAt())
        .thenComparing(u -> u.rumor().id()));
    Map<EventId, UnwrapResult.Unwrapped> inBatch = new HashMap<>();
    for (UnwrapResult.Unwrapped u : messages) {
      inBatch.put(u.rumor().id(), u);
    }
    List<EventId> deleted = new ArrayList<>();
    long now = nowSeconds.getAsLong();
    for (UnwrapResult.Unwrapped u : messages) {
      NostrEvent wrap = u.wrap();
      batch.recordEvent(circle, wrap);
      Rumor rumor = u.rumor();
      int kind = rumor.event().kind();
      if (Expiration.isExpired(rumor.event().tags(), now)) {
        continue; // NIP-40: already gone; recorded so that it is not fetched again
      }
      if (kind != ChatRumors.CHAT && kind != ChatRumors.FILE && kind != ChatRumors.REACTION
          && kind != ChatRumors.DELETION) {
        continue;
      }
      if (!belongsHere.test(relayOf.get(wrap.id()), rumor)) {
        continue; // another circle of this account reading the same relay owns it
      }
      if (pending.takeFor(rumor.id(), rumor.event().pubkey())) {
        // Its author's deletion came first: it never appears (deletion wins).
        batch.tombstone(circle, rumor.id(), now);
        deleted.add(rumor.id());
        deletedWraps.add(wrap.id());
        continue;
      }
      ConversationId conversation = route(rumor, newConversations);
      if (kind == ChatRumors.DELETION) {
        PublicKey author = rumor.event().pubkey();
        for (EventId target : ChatRumors.deletedIds(rumor)) {
          // NIP-09: only the author's deletion counts. A target not seen yet waits with who asked,
          // and is refused on arrival only if that was its author.
          UnwrapResult.Unwrapped same = inBatch.get(target);
          Optional<StoredMessage> stored = same == null ? store.message(circle, target) : Optional.empty();
          if (same == null && stored.isEmpty()) {
            if (!skipTombstoneCheck && !store.isTombstoned(circle, target)) { // injected bug: no memory of it
              pending.add(target, author); // reported as applied once it is
            }
            continue;
          }
          PublicKey targetAuthor = same != null ? same.rumor().event().pubkey()
              : stored.get().rumor().event().pubkey();
          if (targetAuthor.equals(author)) {
            batch.tombstone(circle, target, now);
            deleted.add(target);
            if (same != null) {
              deletedWraps.add(same.wrap().id());
            }
            stored.flatMap(StoredMessage::wrapId).ifPresent(deletedWraps::add);
          }
        }
      }
      batch.appendMessage(circle, conversation, rumor, Optional.of(wrap.id()));
    }
    return deleted;
  }

  public String circleName() {
    return circleName;
  }
}
