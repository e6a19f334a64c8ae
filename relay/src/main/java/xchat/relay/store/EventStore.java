package xchat.relay.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;
import org.rocksdb.Status;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xchat.protocol.event.EventId;
import xchat.protocol.event.EventJson;
import xchat.protocol.event.EventParseException;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.Tag;
import xchat.protocol.filter.Filter;
import xchat.protocol.hex.Hex;
import xchat.protocol.keys.PublicKey;
import xchat.protocol.message.OkPrefix;
import xchat.protocol.nip09.DeletionParseException;
import xchat.protocol.nip09.DeletionRequest;
import xchat.protocol.nip09.Deletions;
import xchat.protocol.nip09.EventAddress;
import xchat.protocol.nip40.Expiration;
import xchat.protocol.nip59.GiftWrap;
import xchat.protocol.nip77.Item;
import xchat.protocol.nip77.SortedVectorStorage;

/**
 * The relay's event store on RocksDB, with its own schema (one column family each):
 *
 * <ul>
 *   <li>{@code events}: id → event JSON
 *   <li>{@code by_time}: inverted created_at + id; {@code by_author}: pubkey + ...; {@code
 *       by_kind}: kind + ...; {@code by_tag}: letter + first value + ... (single-letter tags).
 *       Index values hold the kind and the NIP-40 expiry, so a scan can skip without a read.
 *   <li>{@code addr}: kind + pubkey + d → the id and created_at of the version kept
 *   <li>{@code deleted}: NIP-09 deleted ids (per deleter) and addresses, NIP-62 vanished pubkeys,
 *       each with the request's created_at, so a deleted event is refused when it comes back
 *   <li>{@code expiry}: expires_at + id, for the sweeper
 * </ul>
 *
 * <p>Every write goes through one writer thread, so the checks that decide a write (duplicate,
 * deleted, newer version) cannot race. The writer drains whatever is queued, writes each event's
 * batch, then syncs the WAL once ({@link Durability#SYNC}) before completing any of them: group
 * commit. Reads run on the caller's thread against a snapshot.
 */
public final class EventStore implements AutoCloseable {
  /** NIP-62 request to vanish. */
  public static final int VANISH_KIND = 62;

  private static final Logger LOG = LoggerFactory.getLogger(EventStore.class);

  static {
    RocksDB.loadLibrary();
  }

  private static final int MAX_DRAIN = 1024;
  private static final long REOPEN_MARGIN_BYTES = 16L << 20;
  private static final int PROBE_CAP = 256;
  private static final int SWEEP_BATCH = 10_000;
  private static final int DELETE_CHUNK = 10_000;
  private static final byte[] EMPTY = new byte[0];
  private static final byte DELETED_ID = 'e';
  private static final byte DELETED_ADDRESS = 'a';
  private static final byte VANISHED = 'v';
  private static final Comparator<StoredEvent> NEWEST_FIRST =
      Comparator.comparingLong(StoredEvent::createdAt).reversed().thenComparing(StoredEvent::id);

  private static final String[] FAMILIES = {
    "default", "events", "by_time", "by_author", "by_kind", "by_tag", "addr", "deleted", "expiry"
  };

  private final Path directory;
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions familyOptions;
  private final LRUCache cache;
  // Replaced only by resumeWrites(), on the writing thread under the lifecycle write lock;
  // reads hold its read lock.
  private RocksDB db;
  private List<ColumnFamilyHandle> handles;
  private ColumnFamilyHandle events;
  private ColumnFamilyHandle byTime;
  private ColumnFamilyHandle byAuthor;
  private ColumnFamilyHandle byKind;
  private ColumnFamilyHandle byTag;
  private ColumnFamilyHandle addr;
  private ColumnFamilyHandle deleted;
  private ColumnFamilyHandle expiry;
  // RocksDB refuses every write after a failed WAL write (a full disk) until it is reopened.
  private volatile RocksDBException writesStopped;
  // A reopen closed RocksDB and could not open it again; the next write retries.
  private volatile boolean detached;
  private final WriteOptions writeOptions;
  private final Durability durability;
  private final LongSupplier nowSeconds;
  private final StoredListener onStored;

  private final LinkedBlockingQueue<Task> queue = new LinkedBlockingQueue<>();
  private final Thread writer;
  private final boolean inline;
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private volatile boolean closing;
  private boolean closed;

  private sealed interface Task {}

  private record Insert(NostrEvent event, CompletableFuture<WriteOutcome> done) implements Task {}

  private record Sweep(CompletableFuture<Integer> done) implements Task {}

  private record Stop() implements Task {}

  private record Announcement(NostrEvent event, String json, long commitSequence) {}

  /** An event's JSON, written at most once for both the store and the live feed. */
  private static final class JsonOnce {
    private final NostrEvent event;
    private String json;

    JsonOnce(NostrEvent event) {
      this.event = event;
    }

    String get() {
      if (json == null) {
        json = EventJson.toJson(event);
      }
      return json;
    }
  }

  private EventStore(
      Path directory, Durability durability, LongSupplier nowSeconds, StoredListener onStored,
      boolean inline)
      throws RocksDBException {
    this.directory = directory;
    this.durability = durability;
    this.nowSeconds = nowSeconds;
    this.onStored = onStored;
    cache = new LRUCache(64L * 1024 * 1024);
    familyOptions =
        new ColumnFamilyOptions()
            .setTableFormatConfig(
                new BlockBasedTableConfig()
                    .setBlockCache(cache)
                    .setFilterPolicy(new BloomFilter(10, false)));
    dbOptions =
        new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
    openDatabase();
    writeOptions = new WriteOptions().setSync(false);
    this.inline = inline;
    if (inline) {
      writer = null;
    } else {
      writer = new Thread(this::writeLoop, "relay-store-writer");
      writer.setDaemon(true);
      writer.start();
    }
  }

  private void openDatabase() throws RocksDBException {
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    for (String name : FAMILIES) {
      descriptors.add(
          new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8), familyOptions));
    }
    List<ColumnFamilyHandle> opened = new ArrayList<>();
    db = RocksDB.open(dbOptions, directory.toString(), descriptors, opened);
    handles = opened;
    events = opened.get(1);
    byTime = opened.get(2);
    byAuthor = opened.get(3);
    byKind = opened.get(4);
    byTag = opened.get(5);
    addr = opened.get(6);
    deleted = opened.get(7);
    expiry = opened.get(8);
  }

  /**
   * Opens (creating if needed) a store in {@code directory}.
   *
   * @param nowSeconds the clock for NIP-40 expiry
   * @param onStored called on the writer thread, in commit order, once a stored event is durable
   */
  public static EventStore open(
      Path directory,
      Durability durability,
      LongSupplier nowSeconds,
      StoredListener onStored) {
    try {
      Files.createDirectories(directory);
      return new EventStore(directory, durability, nowSeconds, onStored, false);
    } catch (RocksDBException | java.io.IOException e) {
      throw new StoreException("opening the store", e);
    }
  }

  /**
   * Like {@link #open}, but without a writer thread: each write runs on the caller's thread as a
   * batch of one, and its stage is complete when {@link #submit} returns. For the simulator, which
   * runs every relay and device on one thread so that a seed replays exactly.
   */
  public static EventStore openInline(
      Path directory,
      Durability durability,
      LongSupplier nowSeconds,
      StoredListener onStored) {
    try {
      Files.createDirectories(directory);
      return new EventStore(directory, durability, nowSeconds, onStored, true);
    } catch (RocksDBException | java.io.IOException e) {
      throw new StoreException("opening the store", e);
    }
  }

  // ---------------------------------------------------------------- writes

  /**
   * Queues {@code event} for the writer. The stage completes once the outcome is durable, or
   * exceptionally with a {@link StoreException}. The caller has already verified the signature.
   */
  public CompletionStage<WriteOutcome> submit(NostrEvent event) {
    CompletableFuture<WriteOutcome> done = new CompletableFuture<>();
    enqueue(new Insert(event, done), done);
    return done;
  }

  /** Deletes the events whose NIP-40 expiry has passed; completes with how many. */
  public CompletionStage<Integer> sweepExpired() {
    CompletableFuture<Integer> done = new CompletableFuture<>();
    enqueue(new Sweep(done), done);
    return done;
  }

  private void enqueue(Task task, CompletableFuture<?> done) {
    if (closing) {
      done.completeExceptionally(new StoreException("the store is closed"));
      return;
    }
    if (inline) {
      synchronized (queue) {
        process(List.of(task));
      }
      return;
    }
    queue.add(task);
  }

  private void writeLoop() {
    List<Task> batch = new ArrayList<>(MAX_DRAIN);
    boolean stop = false;
    while (!stop) {
      batch.clear();
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      queue.drainTo(batch, MAX_DRAIN - 1);
      stop = process(batch);
    }
    // Anything queued after Stop never ran: fail it rather than leave a caller waiting.
    List<Task> rest = new ArrayList<>();
    queue.drainTo(rest);
    for (Task task : rest) {
      StoreException failure = new StoreException("the store is closed");
      if (task instanceof Insert insert) {
        insert.done().completeExceptionally(failure);
      } else if (task instanceof Sweep sweep) {
        sweep.done().completeExceptionally(failure);
      }
    }
  }

  /** Runs one batch of tasks with one WAL sync; returns true when the batch held a stop. */
  private boolean process(List<Task> batch) {
    if (writesStopped != null) {
      resumeWrites();
    }
    boolean stop = false;
    List<Runnable> completions = new ArrayList<>(batch.size());
    List<CompletableFuture<?>> futures = new ArrayList<>(batch.size());
    List<Announcement> stored = new ArrayList<>();
    boolean wrote = false;
    for (Task task : batch) {
      if (task instanceof Stop) {
        stop = true;
      } else if (task instanceof Insert insert) {
        futures.add(insert.done());
        try {
          requireAttached();
          JsonOnce json = new JsonOnce(insert.event());
          WriteOutcome outcome = insert(insert.event(), json);
          wrote |= !(outcome instanceof WriteOutcome.Duplicate)
              && !(outcome instanceof WriteOutcome.Rejected);
          if (outcome instanceof WriteOutcome.Stored) {
            // Only this thread writes, so the latest sequence is this insert's own.
            stored.add(
                new Announcement(insert.event(), json.get(), db.getLatestSequenceNumber()));
          }
          completions.add(() -> insert.done().complete(outcome));
        } catch (RocksDBException | RuntimeException e) {
          noteWriteFailure(e);
          LOG.error("storing event {} failed", insert.event().id(), e);
          StoreException failure = new StoreException("storing an event", e);
          completions.add(() -> insert.done().completeExceptionally(failure));
        }
      } else if (task instanceof Sweep sweep) {
        futures.add(sweep.done());
        try {
          requireAttached();
          int removed = sweep();
          wrote |= removed > 0;
          completions.add(() -> sweep.done().complete(removed));
        } catch (RocksDBException | RuntimeException e) {
          noteWriteFailure(e);
          LOG.error("sweeping expired events failed", e);
          StoreException failure = new StoreException("sweeping expired events", e);
          completions.add(() -> sweep.done().completeExceptionally(failure));
        }
      }
    }
    if (wrote && durability == Durability.SYNC) {
      try {
        db.syncWal();
      } catch (RocksDBException e) {
        noteWriteFailure(e);
        LOG.error("syncing the WAL failed", e);
        StoreException failure = new StoreException("syncing the write-ahead log", e);
        futures.forEach(future -> future.completeExceptionally(failure));
        return stop;
      }
    }
    // Subscribers hear of an event before its publisher hears OK, so a client that saw the
    // OK and then asks another connection finds the live event already on its way there.
    for (Announcement announcement : stored) {
      try {
        onStored.stored(
            announcement.event(), announcement.json(), announcement.commitSequence());
      } catch (RuntimeException e) {
        LOG.error("the stored-event listener failed for {}", announcement.event().id(), e);
      }
    }
    completions.forEach(Runnable::run);
    return stop;
  }

  private void noteWriteFailure(Exception failure) {
    if (failure instanceof RocksDBException rocks && stopsWrites(rocks)) {
      writesStopped = rocks;
    }
  }

  private static boolean stopsWrites(RocksDBException e) {
    Status status = e.getStatus();
    return status != null
        && (status.getCode() == Status.Code.IOError
            || status.getSubCode() == Status.SubCode.NoSpace);
  }

  private void requireAttached() {
    if (detached) {
      throw new StoreException("the store could not be reopened after its writes stopped");
    }
  }

  /**
   * Reopens RocksDB, which refuses every write after a failed WAL write, once the disk has room
   * for what reopening writes: the WAL's contents flushed, a new WAL and manifest. Until then, and
   * if the reopen fails, writes keep failing and the next batch tries again.
   */
  private void resumeWrites() {
    long needed = walBytes() + REOPEN_MARGIN_BYTES;
    long free = usableSpace();
    if (free < needed) {
      return;
    }
    Lock lock = lifecycle.writeLock();
    if (!lockForReopen(lock)) {
      return;
    }
    try {
      if (closed) {
        return;
      }
      if (!detached) {
        detached = true;
        handles.forEach(ColumnFamilyHandle::close);
        try {
          db.closeE();
        } catch (RocksDBException e) {
          // Expected: closing syncs the WAL and meets the failure that stopped writes again.
          LOG.debug("closing the store to reopen it: {}",
              e.getStatus() == null ? e : e.getStatus().getCodeString());
        }
      }
      openDatabase();
      detached = false;
      writesStopped = null;
      LOG.info("the store was reopened after a failed write; writes resume");
    } catch (RocksDBException | RuntimeException e) {
      // Caught whatever it is: an exception here would end the writer thread.
      LOG.error("reopening the store after a failed write failed; the next write retries", e);
    } finally {
      lock.unlock();
    }
  }

  // close() holds the write lock while it waits for the writer thread: give way to it.
  private boolean lockForReopen(Lock lock) {
    if (inline) {
      lock.lock();
      return true;
    }
    try {
      while (!lock.tryLock(50, TimeUnit.MILLISECONDS)) {
        if (closing) {
          return false;
        }
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private long walBytes() {
    try (Stream<Path> files = Files.list(directory)) {
      long total = 0;
      for (Path file : (Iterable<Path>) files::iterator) {
        if (file.getFileName().toString().endsWith(".log")) {
          total += Files.size(file);
        }
      }
      return total;
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("cannot size the WAL of {}: {}", directory, e.toString());
      return Long.MAX_VALUE / 2;
    }
  }

  private long usableSpace() {
    try {
      return Files.getFileStore(directory).getUsableSpace();
    } catch (IOException e) {
      LOG.warn("cannot read the free space of {}: {}", directory, e.toString());
      return 0;
    }
  }

  private WriteOutcome insert(NostrEvent event, JsonOnce json) throws RocksDBException {
    byte[] id = event.id().bytes();
    if (db.get(events, id) != null) {
      return new WriteOutcome.Duplicate("already have this event");
    }
    if (isDeleted(event)) {
      return new WriteOutcome.Rejected(
          OkPrefix.BLOCKED, "this event was deleted");
    }
    long vanishedAt = readLong(deleted, vanishKey(event.pubkey()));
    if (vanishedAt >= event.createdAt()) {
      return new WriteOutcome.Rejected(
          OkPrefix.BLOCKED, "the author asked this relay to vanish");
    }
    if (event.kind() == VANISH_KIND) {
      vanish(event);
      return new WriteOutcome.Applied("");
    }
    try (WriteBatch batch = new WriteBatch()) {
      if (event.kind() == DeletionRequest.KIND) {
        Optional<WriteOutcome> refused = applyDeletion(batch, event);
        if (refused.isPresent()) {
          return refused.get();
        }
      }
      if (event.isReplaceable() || event.isAddressable()) {
        byte[] address = addressOf(event);
        long deletedUpTo = readLong(deleted, Keys.concat(new byte[] {DELETED_ADDRESS}, address));
        if (deletedUpTo >= event.createdAt()) {
          return new WriteOutcome.Rejected(
              OkPrefix.BLOCKED, "this address was deleted");
        }
        byte[] current = db.get(addr, address);
        if (current != null) {
          long currentAt = Keys.readLong(current, Keys.ID);
          boolean newer =
              event.createdAt() > currentAt
                  || (event.createdAt() == currentAt
                      && Arrays.compareUnsigned(id, 0, Keys.ID, current, 0, Keys.ID) < 0);
          if (!newer) {
            return new WriteOutcome.Duplicate("a newer version of this event is stored");
          }
          Optional<NostrEvent> old = load(Keys.idAt(current, 0).bytes());
          if (old.isPresent()) {
            deleteEvent(batch, old.get());
          }
        }
      }
      putEvent(batch, event, json.get());
      db.write(writeOptions, batch);
    }
    return new WriteOutcome.Stored(event);
  }

  /** NIP-09 (and NIP-59 for wraps): deleted by its author, or a wrap by a p-tagged recipient. */
  private boolean isDeleted(NostrEvent event) throws RocksDBException {
    byte[] id = event.id().bytes();
    if (db.get(deleted, deletedIdKey(id, event.pubkey().bytes())) != null) {
      return true;
    }
    if (event.kind() == GiftWrap.WRAP_KIND) {
      for (String recipient : event.tags().values("p")) {
        if (Hex.isLowerHex(recipient, 32)
            && db.get(deleted, deletedIdKey(id, Hex.decode(recipient, 32))) != null) {
          return true;
        }
      }
    }
    return false;
  }

  private Optional<WriteOutcome> applyDeletion(WriteBatch batch, NostrEvent event)
      throws RocksDBException {
    Optional<DeletionRequest> parsed = parseDeletion(event);
    if (parsed.isEmpty()) {
      return Optional.of(
          new WriteOutcome.Rejected(
              OkPrefix.INVALID,
              "a deletion request must name an event (e tag) or an address (a tag)"));
    }
    DeletionRequest request = parsed.get();
    byte[] when = Keys.longBytes(event.createdAt());
    byte[] author = event.pubkey().bytes();
    for (EventId target : request.eventIds()) {
      batch.put(deleted, deletedIdKey(target.bytes(), author), when);
      Optional<NostrEvent> stored = load(target.bytes());
      if (stored.isPresent() && request.appliesTo(stored.get())) {
        deleteEvent(batch, stored.get());
      }
    }
    for (EventAddress address : request.addresses()) {
      // NIP-09: only the author deletes; an address of another pubkey names nothing of theirs.
      if (!address.pubkey().equals(event.pubkey())) {
        continue;
      }
      boolean replaceable = isReplaceableKind(address.kind());
      if (!replaceable && !isAddressableKind(address.kind())) {
        continue;
      }
      byte[] key =
          Keys.address(address.kind(), address.pubkey(), replaceable ? "" : address.identifier());
      byte[] deletedKey = Keys.concat(new byte[] {DELETED_ADDRESS}, key);
      if (readLong(deleted, deletedKey) < event.createdAt()) {
        batch.put(deleted, deletedKey, when);
      }
      byte[] current = db.get(addr, key);
      if (current != null) {
        Optional<NostrEvent> stored = load(Arrays.copyOf(current, Keys.ID));
        if (stored.isPresent() && request.deletes(stored.get())) {
          deleteEvent(batch, stored.get());
        }
      }
    }
    return Optional.empty();
  }

  /**
   * NIP-09 parsing as {@code Deletions.parse} defines it (malformed e and a values are ignored),
   * done here because that method fails on every request: it hands DeletionRequest a TreeSet,
   * whose contains(null) check throws. k tags are advisory and not kept.
   */
  private static Optional<DeletionRequest> parseDeletion(NostrEvent event) {
    try {
      return Optional.of(Deletions.parse(event));
    } catch (DeletionParseException e) {
      return Optional.empty();
    }
  }

  /**
   * NIP-62: every event of the pubkey up to the request's created_at, deletion requests included,
   * and every gift wrap p-tagged to it. The marker refuses those events if they come back.
   */
  private void vanish(NostrEvent request) throws RocksDBException {
    PublicKey pubkey = request.pubkey();
    List<NostrEvent> doomed = new ArrayList<>();
    try (ReadOptions options = new ReadOptions();
        IndexCursor own =
            new IndexCursor(
                db, byAuthor, options, pubkey.bytes(), OptionalLong.empty(),
                OptionalLong.of(request.createdAt()), null);
        IndexCursor wraps =
            new IndexCursor(
                db, byTag, options, Keys.tagPrefix('p', pubkey.hex()), OptionalLong.empty(),
                OptionalLong.empty(), null)) {
      for (; own.valid(); own.next()) {
        load(own.id()).ifPresent(doomed::add);
      }
      for (; wraps.valid(); wraps.next()) {
        if (wraps.kind() == GiftWrap.WRAP_KIND) {
          load(wraps.id()).ifPresent(doomed::add);
        }
      }
    }
    WriteBatch batch = new WriteBatch();
    try {
      batch.put(deleted, vanishKey(pubkey), Keys.longBytes(request.createdAt()));
      byte[] when = Keys.longBytes(request.createdAt());
      int inBatch = 0;
      for (NostrEvent event : doomed) {
        deleteEvent(batch, event);
        if (event.kind() == GiftWrap.WRAP_KIND && !event.pubkey().equals(pubkey)) {
          batch.put(deleted, deletedIdKey(event.id().bytes(), pubkey.bytes()), when);
        }
        if (++inBatch == DELETE_CHUNK) {
          db.write(writeOptions, batch);
          batch.close();
          batch = new WriteBatch();
          inBatch = 0;
        }
      }
      db.write(writeOptions, batch);
    } finally {
      batch.close();
    }
  }

  private int sweep() throws RocksDBException {
    long now = nowSeconds.getAsLong();
    int removed = 0;
    try (ReadOptions options = new ReadOptions();
        RocksIterator iterator = db.newIterator(expiry, options);
        WriteBatch batch = new WriteBatch()) {
      for (iterator.seekToFirst(); iterator.isValid() && removed < SWEEP_BATCH; iterator.next()) {
        byte[] key = iterator.key();
        if (Keys.readLong(key, 0) > now) {
          break;
        }
        Optional<NostrEvent> event = load(Arrays.copyOfRange(key, 8, 8 + Keys.ID));
        if (event.isPresent()) {
          deleteEvent(batch, event.get());
          removed++;
        } else {
          batch.delete(expiry, key);
        }
      }
      db.write(writeOptions, batch);
    }
    return removed;
  }

  private void putEvent(WriteBatch batch, NostrEvent event, String json) throws RocksDBException {
    byte[] id = event.id().bytes();
    byte[] timeId = Keys.timeId(event.createdAt(), id);
    long expiresAt = Expiration.of(event).orElse(-1);
    byte[] value = Keys.indexValue(event.kind(), expiresAt);
    batch.put(events, id, json.getBytes(StandardCharsets.UTF_8));
    batch.put(byTime, timeId, value);
    batch.put(byAuthor, Keys.concat(event.pubkey().bytes(), timeId), value);
    batch.put(byKind, Keys.concat(Keys.kind(event.kind()), timeId), value);
    for (byte[] prefix : tagPrefixes(event)) {
      batch.put(byTag, Keys.concat(prefix, timeId), value);
    }
    if (expiresAt >= 0) {
      batch.put(expiry, Keys.concat(Keys.longBytes(expiresAt), id), EMPTY);
    }
    if (event.isReplaceable() || event.isAddressable()) {
      batch.put(addr, addressOf(event), Keys.concat(id, Keys.longBytes(event.createdAt())));
    }
  }

  private void deleteEvent(WriteBatch batch, NostrEvent event) throws RocksDBException {
    byte[] id = event.id().bytes();
    byte[] timeId = Keys.timeId(event.createdAt(), id);
    batch.delete(events, id);
    batch.delete(byTime, timeId);
    batch.delete(byAuthor, Keys.concat(event.pubkey().bytes(), timeId));
    batch.delete(byKind, Keys.concat(Keys.kind(event.kind()), timeId));
    for (byte[] prefix : tagPrefixes(event)) {
      batch.delete(byTag, Keys.concat(prefix, timeId));
    }
    OptionalLong expiresAt = Expiration.of(event);
    if (expiresAt.isPresent()) {
      batch.delete(expiry, Keys.concat(Keys.longBytes(expiresAt.getAsLong()), id));
    }
    if (event.isReplaceable() || event.isAddressable()) {
      byte[] address = addressOf(event);
      byte[] current = db.get(addr, address);
      if (current != null && Arrays.equals(current, 0, Keys.ID, id, 0, Keys.ID)) {
        batch.delete(addr, address);
      }
    }
  }

  /** NIP-01: only the first value of a single-letter tag is indexed. */
  private static List<byte[]> tagPrefixes(NostrEvent event) {
    TreeSet<byte[]> prefixes = new TreeSet<>(Arrays::compareUnsigned);
    for (Tag tag : event.tags().list()) {
      String name = tag.name();
      if (tag.size() > 1 && name.length() == 1 && Filter.isTagLetter(name.charAt(0))) {
        prefixes.add(Keys.tagPrefix(name.charAt(0), tag.values().get(1)));
      }
    }
    return new ArrayList<>(prefixes);
  }

  private static byte[] addressOf(NostrEvent event) {
    String identifier = event.isReplaceable() ? "" : event.tags().first("d").orElse("");
    return Keys.address(event.kind(), event.pubkey(), identifier);
  }

  private static boolean isReplaceableKind(int kind) {
    return kind == 0 || kind == 3 || (kind >= 10000 && kind < 20000);
  }

  private static boolean isAddressableKind(int kind) {
    return kind >= 30000 && kind < 40000;
  }

  private static byte[] deletedIdKey(byte[] id, byte[] deleter) {
    return Keys.concat(new byte[] {DELETED_ID}, id, deleter);
  }

  private static byte[] vanishKey(PublicKey pubkey) {
    return Keys.concat(new byte[] {VANISHED}, pubkey.bytes());
  }

  private long readLong(ColumnFamilyHandle family, byte[] key) throws RocksDBException {
    byte[] value = db.get(family, key);
    return value == null ? -1 : Keys.readLong(value, 0);
  }

  // ---------------------------------------------------------------- reads

  /**
   * NIP-01 REQ: for each filter, up to its limit ({@code defaultLimit} when absent, never more
   * than {@code maxLimit}) of the newest matching events that {@code access} may see and that
   * have not expired; then all of them merged newest first (lowest id first on a tie), once each.
   */
  public List<NostrEvent> query(
      List<Filter> filters, Access access, int defaultLimit, int maxLimit) {
    List<StoredEvent> stored = querySnapshot(filters, access, defaultLimit, maxLimit).events();
    List<NostrEvent> events = new ArrayList<>(stored.size());
    for (StoredEvent event : stored) {
      events.add(event.toEvent());
    }
    return events;
  }

  /**
   * {@link #query}, also giving the snapshot's sequence: a live subscriber skips the events
   * committed at or before it, which the query already saw. The events are as stored, checked
   * for structure but not re-hashed: see {@link StoredEvent}.
   */
  public QueryResult querySnapshot(
      List<Filter> filters, Access access, int defaultLimit, int maxLimit) {
    return read(options -> {
      long now = nowSeconds.getAsLong();
      Map<EventId, StoredEvent> found = new LinkedHashMap<>();
      for (Filter filter : filters) {
        int limit = Math.min(filter.limit().orElse(defaultLimit), maxLimit);
        if (limit <= 0) {
          continue;
        }
        for (StoredEvent event : queryOne(options, filter, access, limit, now)) {
          found.putIfAbsent(event.id(), event);
        }
      }
      List<StoredEvent> result = new ArrayList<>(found.values());
      result.sort(NEWEST_FIRST);
      return new QueryResult(result, options.snapshot().getSequenceNumber());
    });
  }

  private List<StoredEvent> queryOne(
      ReadOptions options, Filter filter, Access access, int limit, long now)
      throws RocksDBException {
    List<StoredEvent> out = new ArrayList<>();
    QueryPlan plan = choosePlan(options, filter);
    if (plan.index() == QueryPlan.Index.IDS) {
      for (EventId id : filter.ids().orElseThrow()) {
        Optional<StoredEvent> event = readStored(options, id.bytes());
        if (event.isPresent() && visible(filter, access, event.get(), now)) {
          out.add(event.get());
        }
      }
      out.sort(NEWEST_FIRST);
      return out.size() > limit ? new ArrayList<>(out.subList(0, limit)) : out;
    }
    scan(options, filter, plan, cursor -> {
      if (!passesIndexChecks(filter, cursor, now)) {
        return true;
      }
      Optional<StoredEvent> event = readStored(options, cursor.id());
      if (event.isPresent() && visible(filter, access, event.get(), now)) {
        out.add(event.get());
      }
      return out.size() < limit;
    });
    return out;
  }

  /**
   * NIP-77: the items {@code filter} matches for {@code access}, as REQ would serve them (a
   * filter limit keeps the newest), or {@link NegentropyItems.TooMany} past {@code maxItems}.
   */
  public NegentropyItems negentropyItems(Filter filter, Access access, int maxItems) {
    return read(options -> {
      long now = nowSeconds.getAsLong();
      int limit = filter.limit().orElse(Integer.MAX_VALUE);
      int cap = (int) Math.min((long) maxItems + 1, limit);
      List<Item> items = new ArrayList<>();
      QueryPlan plan = choosePlan(options, filter);
      if (cap == 0) {
        return new NegentropyItems.Items(SortedVectorStorage.empty());
      }
      if (plan.index() == QueryPlan.Index.IDS) {
        List<StoredEvent> matched = new ArrayList<>();
        for (EventId id : filter.ids().orElseThrow()) {
          readStored(options, id.bytes())
              .filter(event -> visible(filter, access, event, now))
              .ifPresent(matched::add);
        }
        matched.sort(NEWEST_FIRST);
        for (StoredEvent event : matched.subList(0, Math.min(cap, matched.size()))) {
          items.add(new Item(event.createdAt(), event.id().bytes()));
        }
      } else {
        boolean covered = plan.coversAllButKindAndTime(filter);
        scan(options, filter, plan, cursor -> {
          if (!passesIndexChecks(filter, cursor, now)) {
            return true;
          }
          boolean seeWithoutReading =
              cursor.kind() != GiftWrap.WRAP_KIND
                  || (plan.isRecipientIndex() && access.isRecipient(cursor.tagValue));
          if (covered && seeWithoutReading) {
            items.add(new Item(cursor.createdAt(), cursor.id()));
          } else {
            Optional<StoredEvent> event = readStored(options, cursor.id());
            if (event.isPresent() && visible(filter, access, event.get(), now)) {
              items.add(new Item(cursor.createdAt(), cursor.id()));
            }
          }
          return items.size() < cap;
        });
      }
      if (items.size() > maxItems) {
        return new NegentropyItems.TooMany(maxItems);
      }
      return new NegentropyItems.Items(SortedVectorStorage.of(items));
    });
  }

  /** The stored event with this id, if it is stored and has not expired. */
  public Optional<NostrEvent> get(EventId id) {
    return read(options -> load(options, id.bytes())
        .filter(event -> !Expiration.isExpired(event, nowSeconds.getAsLong())));
  }

  /** How many events are stored, expired or not; a full index scan, for tests and tools. */
  public long count() {
    return read(options -> {
      long count = 0;
      try (RocksIterator iterator = db.newIterator(byTime, options)) {
        for (iterator.seekToFirst(); iterator.isValid(); iterator.next()) {
          count++;
        }
      }
      return count;
    });
  }

  private static boolean passesIndexChecks(Filter filter, IndexCursor cursor, long now) {
    if (filter.kinds().isPresent() && !filter.kinds().get().contains(cursor.kind())) {
      return false;
    }
    long expiresAt = cursor.expiresAt();
    return expiresAt < 0 || now < expiresAt;
  }

  private static boolean visible(Filter filter, Access access, StoredEvent event, long now) {
    return event.matches(filter) && access.maySee(event) && !event.isExpired(now);
  }

  private QueryPlan choosePlan(ReadOptions options, Filter filter) {
    List<QueryPlan> candidates = QueryPlan.candidates(filter);
    if (candidates.size() == 1) {
      return candidates.get(0);
    }
    QueryPlan best = null;
    int bestCount = Integer.MAX_VALUE;
    for (QueryPlan plan : candidates) {
      int count = probe(options, filter, plan);
      if (count < bestCount) {
        best = plan;
        bestCount = count;
        if (count == 0) {
          break;
        }
      }
    }
    return best;
  }

  /** Index entries the plan would visit, counted up to {@link #PROBE_CAP}. */
  private int probe(ReadOptions options, Filter filter, QueryPlan plan) {
    int count = 0;
    for (byte[] prefix : plan.prefixes()) {
      try (IndexCursor cursor =
          new IndexCursor(
              db, family(plan), options, prefix, filter.since(), filter.until(), null)) {
        for (; cursor.valid() && count < PROBE_CAP; cursor.next()) {
          count++;
        }
      }
      if (count >= PROBE_CAP) {
        return PROBE_CAP;
      }
    }
    return count;
  }

  private ColumnFamilyHandle family(QueryPlan plan) {
    return switch (plan.index()) {
      case TAG -> byTag;
      case AUTHOR -> byAuthor;
      case KIND -> byKind;
      case TIME -> byTime;
      case IDS -> events;
    };
  }

  @FunctionalInterface
  private interface Visitor {
    /** False stops the scan. */
    boolean visit(IndexCursor cursor) throws RocksDBException;
  }

  /** Merges the plan's cursors newest first, visiting each entry once. */
  private void scan(ReadOptions options, Filter filter, QueryPlan plan, Visitor visitor)
      throws RocksDBException {
    List<IndexCursor> cursors = new ArrayList<>();
    try {
      PriorityQueue<IndexCursor> heap = new PriorityQueue<>(IndexCursor::compareTo);
      for (int i = 0; i < plan.prefixes().size(); i++) {
        String tagValue = plan.index() == QueryPlan.Index.TAG ? plan.tagValues().get(i) : null;
        IndexCursor cursor =
            new IndexCursor(
                db, family(plan), options, plan.prefixes().get(i), filter.since(), filter.until(),
                tagValue);
        cursors.add(cursor);
        if (cursor.valid()) {
          heap.add(cursor);
        }
      }
      byte[] previous = null;
      while (!heap.isEmpty()) {
        IndexCursor cursor = heap.poll();
        boolean more = true;
        if (!cursor.sameEntry(previous)) {
          previous = cursor.timeId();
          more = visitor.visit(cursor);
        }
        if (!more) {
          return;
        }
        cursor.next();
        if (cursor.valid()) {
          heap.add(cursor);
        }
      }
    } finally {
      cursors.forEach(IndexCursor::close);
    }
  }

  private Optional<NostrEvent> load(byte[] id) throws RocksDBException {
    byte[] json = db.get(events, id);
    return json == null ? Optional.empty() : Optional.of(parseStored(json));
  }

  private Optional<NostrEvent> load(ReadOptions options, byte[] id) throws RocksDBException {
    byte[] json = db.get(events, options, id);
    return json == null ? Optional.empty() : Optional.of(parseStored(json));
  }

  /** For serving: structure only, see {@link StoredEvent}. */
  private Optional<StoredEvent> readStored(ReadOptions options, byte[] id) throws RocksDBException {
    byte[] json = db.get(events, options, id);
    return json == null ? Optional.empty() : Optional.of(StoredEvent.read(id, json));
  }

  private static NostrEvent parseStored(byte[] json) {
    try {
      return EventJson.parse(json, StoredEvent.STORED);
    } catch (EventParseException e) {
      throw new StoreException("a stored event is corrupt: " + e.reason());
    }
  }

  @FunctionalInterface
  private interface Read<T> {
    T run(ReadOptions options) throws RocksDBException;
  }

  private <T> T read(Read<T> body) {
    lifecycle.readLock().lock();
    try {
      if (closed) {
        throw new StoreException("the store is closed");
      }
      requireAttached();
      Snapshot snapshot = db.getSnapshot();
      try (ReadOptions options = new ReadOptions().setSnapshot(snapshot)) {
        return body.run(options);
      } finally {
        db.releaseSnapshot(snapshot);
      }
    } catch (RocksDBException e) {
      throw new StoreException("reading the store", e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * Finishes every queued write (each caller gets its outcome), syncs, and closes the database.
   * Reads in progress complete first; later calls fail with {@link StoreException}.
   */
  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closing = true;
      if (!inline) {
        queue.add(new Stop());
        try {
          writer.join();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new StoreException("interrupted while closing the store");
        }
      }
      closed = true;
      writeOptions.close();
      if (!detached) {
        try {
          db.syncWal();
        } catch (RocksDBException e) {
          LOG.error("final WAL sync failed", e);
        }
        for (ColumnFamilyHandle handle : handles) {
          handle.close();
        }
        db.close();
      }
      dbOptions.close();
      familyOptions.close();
      cache.close();
    } finally {
      lifecycle.writeLock().unlock();
    }
  }
}
