package xchat.persistence;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.CompactRangeOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;
import xchat.persistence.crypto.Aead;
import xchat.persistence.crypto.KeyHierarchy;
import xchat.persistence.cursor.SyncCursor;
import xchat.persistence.index.Expiry;
import xchat.persistence.index.NegentropyItem;
import xchat.persistence.index.NegentropyVisitor;
import xchat.persistence.log.ConversationId;
import xchat.persistence.log.MessageCursor;
import xchat.persistence.log.MessagePage;
import xchat.persistence.log.StoredMessage;
import xchat.persistence.log.Tombstone;
import xchat.persistence.log.TombstoneReason;
import xchat.persistence.outbox.OutboxEntry;
import xchat.persistence.record.CircleRecord;
import xchat.persistence.record.CursorRecord;
import xchat.persistence.record.DeviceStateRecord;
import xchat.persistence.record.ExpirationEntry;
import xchat.persistence.record.LayoutRecord;
import xchat.persistence.record.MessageRecord;
import xchat.persistence.record.RumorFields;
import xchat.persistence.record.RumorRecord;
import xchat.persistence.record.SequenceRecord;
import xchat.persistence.record.TagValues;
import xchat.persistence.record.TombstoneRecord;
import xchat.protocol.event.EventId;
import xchat.protocol.event.Rumor;
import xchat.protocol.event.Tag;
import xchat.protocol.event.Tags;
import xchat.protocol.event.UnsignedEvent;
import xchat.protocol.keys.PublicKey;

/**
 * One device's encrypted log: one RocksDB per account per device. Every value is sealed with
 * AES-256-GCM bound to its column family and key; index keys are HMACs; the keys derive from a
 * passphrase-wrapped master key. See README.md for layouts, invariants and what the files reveal.
 *
 * <p>Thread-safe. Reads run concurrently with each other and with commits; commits are
 * serialised. {@link #close()} waits for running calls and wipes every key.
 */
public final class EncryptedStore implements AutoCloseable {
  static {
    RocksDB.loadLibrary();
  }

  /**
   * The key layout this build reads and writes: 2 keeps each message in the log under its seq,
   * with a small slot under H(rumor id). Layout 1 (no layout record) kept the message in the slot.
   */
  static final int LAYOUT = 2;

  // Beyond the memtables that a reopen flushes: its new WAL, manifest and options files.
  private static final long REOPEN_MARGIN_BYTES = 8L << 20;

  private final Path directory;
  private final StoreOptions options;
  // Replaced only by reopen(), under the lifecycle write lock; everything else reads them under
  // its read lock.
  private RocksResources resources;
  private RocksDB db;
  private List<ColumnFamilyHandle> handleList;
  private EnumMap<Cf, ColumnFamilyHandle> handles;
  private final KeyHierarchy keys;
  private final SecureRandom random;
  private final ConcurrentHashMap<CircleId, Circle> circles = new ConcurrentHashMap<>();
  private final ReentrantLock commitLock = new ReentrantLock();
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private final ScheduledExecutorService walSync;
  private volatile boolean closed;
  private volatile StoreException backgroundFailure;
  // RocksDB refuses every write after a failed WAL write until it is reopened: set by such a
  // failure, cleared by the reopen that the next write attempts once there is room.
  private volatile StoreException writesStopped;
  // The reopen closed RocksDB and could not open it again: every call retries it.
  private volatile boolean detached;
  private long lastSeq; // guarded by commitLock
  // Scratch for CommitContext.put, guarded by commitLock.
  private final ByteBuffer commitScratch = ByteBuffer.allocateDirect(CommitContext.DIRECT_PUT_LIMIT);

  private EncryptedStore(
      Path directory,
      StoreOptions options,
      RocksResources resources,
      RocksDB db,
      List<ColumnFamilyHandle> handleList,
      KeyHierarchy keys,
      SecureRandom random) {
    this.directory = directory;
    this.options = options;
    this.resources = resources;
    attach(db, handleList);
    this.keys = keys;
    this.random = random;
    this.walSync =
        options.syncMode() == SyncMode.GROUP_COMMIT && !options.groupCommitInterval().isZero()
            ? Executors.newSingleThreadScheduledExecutor(
                runnable -> {
                  Thread thread = new Thread(runnable, "xchat-store-wal-sync");
                  thread.setDaemon(true);
                  return thread;
                })
            : null;
  }

  // ---------------------------------------------------------------- open, create, close

  /**
   * Opens an existing store.
   *
   * @throws StoreNotFoundException when {@code directory} is missing, empty or not a directory
   * @throws StoreCorruptedException when it holds a damaged or foreign database
   * @throws WrongPassphraseException when the passphrase does not unseal the master key
   * @throws StoreLockedException when another handle has it open
   */
  public static EncryptedStore open(Path directory, char[] passphrase, StoreOptions options) {
    StoreDirectory.inspectExisting(directory);
    return start(directory, passphrase, options, false);
  }

  /**
   * Creates a new store in a missing or empty directory, with a fresh random master key sealed
   * under {@code passphrase}.
   *
   * @throws StoreAlreadyExistsException when the directory is not empty
   */
  public static EncryptedStore create(Path directory, char[] passphrase, StoreOptions options) {
    StoreDirectory.prepareNew(directory);
    return start(directory, passphrase, options, true);
  }

  private static EncryptedStore start(
      Path directory, char[] passphrase, StoreOptions options, boolean create) {
    if (passphrase == null || passphrase.length == 0) {
      throw new IllegalArgumentException("passphrase must not be empty");
    }
    RocksResources resources = new RocksResources(options, create);
    List<ColumnFamilyHandle> handleList = new ArrayList<>();
    RocksDB db = null;
    KeyHierarchy keys = null;
    EncryptedStore store = null;
    try {
      if (!create) {
        StoreDirectory.checkColumnFamilies(directory);
      }
      db = openDatabase(directory, resources, handleList);
      SecureRandom random = new SecureRandom();
      ColumnFamilyHandle meta = handleList.get(Cf.META.ordinal() + 1);
      byte[] master =
          create
              ? KeyRings.writeNew(db, meta, resources, passphrase, options.scrypt(), random)
              : KeyRings.unlock(db, meta, passphrase, directory);
      try {
        keys = new KeyHierarchy(master);
      } finally {
        Arrays.fill(master, (byte) 0);
      }
      store = new EncryptedStore(directory, options, resources, db, handleList, keys, random);
      store.loadCircles();
      store.loadSequence();
      store.checkLayout();
      store.startWalSync();
      return store;
    } catch (RocksDBException e) {
      abandon(store, db, handleList, keys, resources);
      throw StoreDirectory.translateOpen(e, directory, create);
    } catch (RuntimeException | Error e) {
      abandon(store, db, handleList, keys, resources);
      throw e;
    }
  }

  private static RocksDB openDatabase(Path directory, RocksResources resources, List<ColumnFamilyHandle> handleList)
      throws RocksDBException {
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, resources.rangeScans));
    for (Cf cf : Cf.values()) {
      descriptors.add(new ColumnFamilyDescriptor(cf.nameBytes, resources.optionsFor(cf)));
    }
    return RocksDB.open(resources.dbOptions, directory.toString(), descriptors, handleList);
  }

  private void attach(RocksDB db, List<ColumnFamilyHandle> handleList) {
    EnumMap<Cf, ColumnFamilyHandle> byFamily = new EnumMap<>(Cf.class);
    for (Cf cf : Cf.values()) {
      byFamily.put(cf, handleList.get(cf.ordinal() + 1)); // 0 is RocksDB's "default"
    }
    this.db = db;
    this.handleList = handleList;
    this.handles = byFamily;
  }

  private static void abandon(
      EncryptedStore store,
      RocksDB db,
      List<ColumnFamilyHandle> handleList,
      KeyHierarchy keys,
      RocksResources resources) {
    if (store != null) {
      store.circles.values().forEach(Circle::close);
    }
    if (keys != null) {
      keys.close();
    }
    handleList.forEach(ColumnFamilyHandle::close);
    if (db != null) {
      db.close();
    }
    resources.close();
  }

  private void loadCircles() throws RocksDBException {
    byte[] lower = {Keys.META_CIRCLE};
    scan(Cf.META, null, lower, Keys.rangeEnd(lower), false, (key, value) -> {
      CircleRecord record = RecordType.CIRCLE.open(Cf.META, keys.globalData(), key, value);
      CircleId id;
      try {
        id = new CircleId(record.getCircleId());
      } catch (IllegalArgumentException e) {
        throw new StoreCorruptedException("an authenticated circle record holds an invalid id");
      }
      byte[] prefix = Circle.prefixOf(keys.globalIndex(), id);
      if (!Arrays.equals(Keys.metaCircleKey(prefix), key)) {
        throw new StoreCorruptedException("a circle record is stored under another circle's key");
      }
      byte[] secret = record.getSecret().toByteArray();
      try {
        circles.put(id, new Circle(id, prefix, keys.circle(secret)));
      } finally {
        Arrays.fill(secret, (byte) 0);
      }
      return true;
    });
  }

  // A store without a layout record is of layout 1 (or a creation interrupted before the record
  // was written, which holds no message): it is migrated, then stamped.
  private void checkLayout() throws RocksDBException {
    byte[] sealed = db.get(handle(Cf.META), Keys.META_LAYOUT);
    if (sealed != null) {
      int found = RecordType.LAYOUT.open(Cf.META, keys.globalData(), Keys.META_LAYOUT, sealed).getLayout();
      if (found != LAYOUT) {
        throw new UnsupportedLayoutException(directory.toString(), found, LAYOUT);
      }
      return;
    }
    Layout1Migration migration = new Layout1Migration(db, handles, resources.syncWriteOptions);
    for (Circle circle : sortedCircles()) {
      migration.migrate(circle);
    }
    LayoutRecord record =
        LayoutRecord.newBuilder().setVersion(RecordType.CURRENT_VERSION).setLayout(LAYOUT).build();
    db.put(handle(Cf.META), resources.syncWriteOptions, Keys.META_LAYOUT,
        RecordType.seal(Cf.META, keys.globalData(), Keys.META_LAYOUT, record));
  }

  private void loadSequence() throws RocksDBException {
    byte[] sealed = db.get(handle(Cf.META), Keys.META_SEQUENCE);
    lastSeq =
        sealed == null
            ? 0
            : RecordType.SEQUENCE.open(Cf.META, keys.globalData(), Keys.META_SEQUENCE, sealed).getLastSeq();
  }

  private void startWalSync() {
    if (walSync == null) {
      return;
    }
    long millis = Math.max(1, options.groupCommitInterval().toMillis());
    walSync.scheduleWithFixedDelay(this::syncWalInBackground, millis, millis, TimeUnit.MILLISECONDS);
  }

  private void syncWalInBackground() {
    Lock lock = lifecycle.readLock();
    if (!lock.tryLock()) {
      return; // closing: close() syncs the WAL itself
    }
    try {
      if (!closed && !detached) {
        db.flushWal(true);
      }
    } catch (RocksDBException e) {
      backgroundFailure = writeFailed(e, "background WAL sync");
    } finally {
      lock.unlock();
    }
  }

  /**
   * Syncs the WAL (in {@link SyncMode#GROUP_COMMIT}, a no-op cost otherwise), closes RocksDB and
   * wipes every key held in memory. Idempotent.
   */
  @Override
  public void close() {
    if (walSync != null) {
      walSync.shutdownNow();
      try {
        walSync.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Lock lock = lifecycle.writeLock();
    lock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      if (detached) {
        return; // a failed reopen already released RocksDB
      }
      RocksDBException failure = null;
      try {
        db.flushWal(true);
      } catch (RocksDBException e) {
        failure = e;
      }
      handleList.forEach(ColumnFamilyHandle::close);
      try {
        db.closeE();
      } catch (RocksDBException e) {
        failure = failure == null ? e : failure;
      }
      resources.close();
      if (failure != null) {
        throw StoreErrors.translate(failure, "closing the store");
      }
    } finally {
      circles.values().forEach(Circle::close);
      circles.clear();
      keys.close();
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- circles and keys

  /** Creates a circle with a fresh random secret; false if it already exists. */
  public boolean createCircle(CircleId id) {
    return exclusive("creating a circle", () -> {
      if (circles.containsKey(id)) {
        return false;
      }
      byte[] secret = new byte[KeyHierarchy.CIRCLE_SECRET_LENGTH];
      random.nextBytes(secret);
      try {
        byte[] prefix = Circle.prefixOf(keys.globalIndex(), id);
        byte[] key = Keys.metaCircleKey(prefix);
        CircleRecord record =
            CircleRecord.newBuilder()
                .setVersion(RecordType.CURRENT_VERSION)
                .setCircleId(id.value())
                .setSecret(ByteString.copyFrom(secret))
                .build();
        db.put(handle(Cf.META), resources.syncWriteOptions, key,
            RecordType.seal(Cf.META, keys.globalData(), key, record));
        circles.put(id, new Circle(id, prefix, keys.circle(secret)));
        return true;
      } finally {
        Arrays.fill(secret, (byte) 0);
      }
    });
  }

  /**
   * Deletes a circle: its secret (so its data is unreadable even with the passphrase) and every
   * key in its ranges. Then flushes and compacts so the deleted records leave the files too.
   * False if there was no such circle.
   */
  public boolean deleteCircle(CircleId id) {
    return exclusive("deleting a circle", () -> {
      Circle circle = circles.get(id);
      if (circle == null) {
        return false;
      }
      byte[] end = Keys.rangeEnd(circle.prefix);
      try (WriteBatch batch = new WriteBatch()) {
        batch.delete(handle(Cf.META), Keys.metaCircleKey(circle.prefix));
        for (Cf cf : Cf.values()) {
          if (cf.perCircle) {
            batch.deleteRange(handle(cf), circle.prefix, end);
          }
        }
        // The log is keyed seq first: its keys of this circle are found by a key-only scan.
        try (RocksIterator iterator = db.newIterator(handle(Cf.LOG))) {
          for (iterator.seekToFirst(); iterator.isValid(); iterator.next()) {
            byte[] key = iterator.key();
            if (circle.ownsLogKey(key)) {
              batch.delete(handle(Cf.LOG), key);
            }
          }
          iterator.status();
        }
        db.write(resources.syncWriteOptions, batch);
      }
      circles.remove(id);
      circle.close();
      flushAll();
      try (CompactRangeOptions compact = forcedCompaction()) {
        for (Cf cf : Cf.values()) {
          if (cf.perCircle) {
            db.compactRange(handle(cf), circle.prefix, end, compact);
          }
        }
        db.compactRange(handle(Cf.LOG), null, null, compact);
        db.compactRange(handle(Cf.META), null, null, compact);
      }
      return true;
    });
  }

  /**
   * A 32-byte key for data the circle keeps outside the store (its encrypted media cache), named
   * by {@code purpose}. It derives from the circle's secret, so {@link #deleteCircle} makes it
   * underivable: whatever it sealed is shredded with the circle. The caller wipes the copy.
   *
   * @throws UnknownCircleException when the circle was never created or has been deleted
   */
  public byte[] circleDerivedKey(CircleId id, String purpose) {
    if (purpose == null || purpose.isEmpty()) {
      throw new IllegalArgumentException("a derived key needs a purpose");
    }
    return read("deriving a circle key", () -> {
      Circle circle = circle(id);
      byte[] label = purpose.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      byte[] first = new byte[label.length + 1];
      byte[] second = new byte[label.length + 1];
      System.arraycopy(label, 0, first, 1, label.length);
      System.arraycopy(label, 0, second, 1, label.length);
      first[0] = 1;
      second[0] = 2;
      // Two HMAC blocks under the circle's index key (itself HKDF of the circle secret), 16 bytes each.
      byte[] out = new byte[32];
      System.arraycopy(circle.hash(Keys.DOMAIN_DERIVED_KEY, first), 0, out, 0, 16);
      System.arraycopy(circle.hash(Keys.DOMAIN_DERIVED_KEY, second), 0, out, 16, 16);
      return out;
    });
  }

  public boolean hasCircle(CircleId id) {
    return read("listing circles", () -> circles.containsKey(id));
  }

  /** Every circle, sorted by id. */
  public List<CircleId> circles() {
    return read("listing circles", () ->
        circles.keySet().stream().sorted(Comparator.comparing(CircleId::value)).toList());
  }

  /**
   * Re-seals the master key under a new passphrase; the data is not rewritten. The old keyring is
   * compacted out of the files, so the old passphrase opens nothing afterwards.
   *
   * @throws WrongPassphraseException when {@code current} is wrong; nothing changes
   */
  public void changePassphrase(char[] current, char[] next) {
    if (next == null || next.length == 0) {
      throw new IllegalArgumentException("new passphrase must not be empty");
    }
    exclusive("changing the passphrase", () -> {
      byte[] check = KeyRings.unlock(db, handle(Cf.META), current, directory);
      Arrays.fill(check, (byte) 0);
      byte[] master = keys.masterCopy();
      try {
        db.put(handle(Cf.META), resources.syncWriteOptions, Keys.META_KEYRING,
            KeyRings.encode(master, next, options.scrypt(), random).toByteArray());
      } finally {
        Arrays.fill(master, (byte) 0);
      }
      flushAll();
      try (CompactRangeOptions compact = forcedCompaction()) {
        db.compactRange(handle(Cf.META), null, null, compact);
      }
      return null;
    });
  }

  private void flushAll() throws RocksDBException {
    try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
      db.flush(flush, handleList);
    }
  }

  private static CompactRangeOptions forcedCompaction() {
    return new CompactRangeOptions()
        .setBottommostLevelCompaction(CompactRangeOptions.BottommostLevelCompaction.kForce)
        .setExclusiveManualCompaction(true);
  }

  // ---------------------------------------------------------------- writes

  /** A new batch; nothing is written until {@link StoreBatch#commit()}. */
  public StoreBatch batch() {
    ensureOpen();
    return new StoreBatch(this);
  }

  CommitResult commit(List<StoreBatch.Op> ops, Set<Circle> touched, List<byte[]> messageLookups) {
    if (ops.isEmpty()) {
      return CommitResult.EMPTY;
    }
    resumeWrites("committing a batch");
    Lock lock = lifecycle.readLock();
    lock.lock();
    try {
      ensureOpen();
      ensureAttached("committing a batch");
      StoreException failure = backgroundFailure;
      if (failure != null) {
        throw failure;
      }
      commitLock.lock();
      try (WriteBatch batch = new WriteBatch()) {
        for (Circle circle : touched) {
          if (circles.get(circle.id) != circle) {
            throw new UnknownCircleException("a circle in this batch was deleted before commit");
          }
        }
        CommitContext context = new CommitContext(this, batch, commitScratch, lastSeq);
        // One multi-get for every append's duplicate-or-tombstoned check: RocksDB probes each
        // sorted run's filter once per batch of keys instead of once per key.
        context.prefetch(Cf.MESSAGES, messageLookups);
        for (StoreBatch.Op op : ops) {
          op.apply(context);
        }
        if (context.seqAdvanced()) {
          SequenceRecord sequence =
              SequenceRecord.newBuilder()
                  .setVersion(RecordType.CURRENT_VERSION)
                  .setLastSeq(context.lastSeq())
                  .build();
          batch.put(handle(Cf.META), Keys.META_SEQUENCE,
              RecordType.seal(Cf.META, keys.globalData(), Keys.META_SEQUENCE, sequence));
        }
        if (batch.count() > 0) {
          db.write(resources.writeOptions, batch);
        }
        lastSeq = context.lastSeq();
        return context.result();
      } finally {
        commitLock.unlock();
      }
    } catch (RocksDBException e) {
      throw writeFailed(e, "committing a batch");
    } finally {
      lock.unlock();
    }
  }

  /**
   * Makes every commit so far durable: writes and fsyncs the WAL. The point of calling it is
   * {@link SyncMode#GROUP_COMMIT}; under {@link SyncMode#PER_BATCH} commits are already synced.
   */
  public void flushWal() {
    resumeWrites("syncing the WAL");
    Lock lock = lifecycle.readLock();
    lock.lock();
    try {
      ensureOpen();
      ensureAttached("syncing the WAL");
      db.flushWal(true);
    } catch (RocksDBException e) {
      throw writeFailed(e, "syncing the WAL");
    } finally {
      lock.unlock();
    }
  }

  /**
   * RocksDB refuses every write after a failed WAL write or flush (a full disk) until it is
   * reopened. The next write reopens it here, once the disk has room for what reopening writes
   * (the memtables it flushes, a new WAL and manifest), so writes resume without a restart.
   */
  private void resumeWrites(String operation) {
    if (writesStopped == null) {
      return;
    }
    Lock lock = lifecycle.writeLock();
    lock.lock();
    try {
      ensureOpen();
      StoreException stopped = writesStopped;
      if (stopped == null) {
        return;
      }
      long free = usableSpace();
      long needed = options.writeBufferBytes() + REOPEN_MARGIN_BYTES;
      if (free < needed) {
        throw new StorageFullException(operation + " refused: writes stopped after a failure (" + stopped.getMessage()
            + "); they resume once " + mebibytes(needed) + " MiB are free, " + mebibytes(free) + " MiB now", stopped);
      }
      reopen(operation, stopped);
      writesStopped = null;
      backgroundFailure = null;
    } finally {
      lock.unlock();
    }
  }

  // Called under the lifecycle write lock.
  private void reopen(String operation, StoreException stopped) {
    if (!detached) {
      detached = true;
      handleList.forEach(ColumnFamilyHandle::close);
      try {
        db.closeE();
      } catch (RocksDBException e) {
        // Expected: closing syncs the WAL again and reports the failure that stopped writes, which
        // its caller was already given. Whether the reopen works is what counts.
      }
      resources.close();
    }
    RocksResources fresh = new RocksResources(options, false);
    List<ColumnFamilyHandle> freshHandles = new ArrayList<>();
    RocksDB reopened = null;
    try {
      reopened = openDatabase(directory, fresh, freshHandles);
      attach(reopened, freshHandles);
      resources = fresh;
      // The refused batch may have reached the WAL whole: the stored sequence is the truth.
      commitLock.lock();
      try {
        loadSequence();
      } finally {
        commitLock.unlock();
      }
      detached = false;
    } catch (RocksDBException | RuntimeException e) {
      freshHandles.forEach(ColumnFamilyHandle::close);
      if (reopened != null) {
        reopened.close();
      }
      fresh.close();
      StoreException failure = e instanceof RocksDBException rocks
          ? StoreErrors.translate(rocks, operation + ": reopening the store after its writes stopped")
          : new StorageException(operation + ": reopening the store after its writes stopped failed: " + e.getMessage(), e);
      failure.addSuppressed(stopped);
      throw failure;
    }
  }

  private StoreException writeFailed(RocksDBException e, String operation) {
    StoreException failure = StoreErrors.translate(e, operation);
    if (StoreErrors.stopsWrites(e)) {
      writesStopped = failure;
    }
    return failure;
  }

  private long usableSpace() {
    try {
      return Files.getFileStore(directory).getUsableSpace();
    } catch (IOException e) {
      throw new StorageException("cannot read the free space of " + directory + ": " + e.getMessage(), e);
    }
  }

  private static long mebibytes(long bytes) {
    return bytes >> 20;
  }

  // ---------------------------------------------------------------- reads: messages

  /** The stored rumor, if present (not yet stored, erased, and never-seen all read as empty). */
  public Optional<StoredMessage> message(CircleId circleId, EventId rumorId) {
    return read("reading a message", () -> {
      Circle circle = circle(circleId);
      byte[] key = circle.rumorKey(rumorId);
      // Slot and log value are written and erased by the same batch: read both on one snapshot.
      Snapshot snapshot = db.getSnapshot();
      try (ReadOptions at = new ReadOptions().setSnapshot(snapshot)) {
        byte[] sealed = db.get(handle(Cf.MESSAGES), at, key);
        if (sealed == null) {
          return Optional.<StoredMessage>empty();
        }
        RumorRecord slot = RecordType.openRumor(circle.data, key, sealed);
        if (!slot.hasLive()) {
          return Optional.<StoredMessage>empty();
        }
        long seq = slot.getLive().getSeq();
        byte[] logKey = circle.logKey(seq);
        byte[] message = db.get(handle(Cf.LOG), at, logKey);
        if (message == null) {
          throw new IntegrityException(Cf.MESSAGES.cfName, "a slot points at no message");
        }
        StoredMessage stored = checked(circle, Cf.MESSAGES, rumorId, seq, RecordType.openMessage(circle.data, logKey, message));
        if (stored.createdAt() != slot.getLive().getCreatedAt()
            || !Arrays.equals(stored.conversation().bytes(), slot.getLive().getConversationId().toByteArray())) {
          throw new IntegrityException(Cf.MESSAGES.cfName, "a slot does not match its message");
        }
        return Optional.of(stored);
      } finally {
        db.releaseSnapshot(snapshot);
        snapshot.close();
      }
    });
  }

  /**
   * A page of a conversation in its one order (rumor created_at, then rumor id), strictly after
   * {@code after} (from the start when empty).
   */
  public MessagePage messages(
      CircleId circleId, ConversationId conversation, Optional<MessageCursor> after, int limit) {
    return page(circleId, conversation, after, limit, false);
  }

  /**
   * The {@code limit} messages just before {@code before} (the newest when empty), returned in
   * ascending order; {@code next} continues further back.
   */
  public MessagePage messagesBefore(
      CircleId circleId, ConversationId conversation, Optional<MessageCursor> before, int limit) {
    return page(circleId, conversation, before, limit, true);
  }

  // An index entry of a page: where it sorts, and the seq of its message in the log.
  private record Hit(MessageCursor cursor, long seq) {}

  private MessagePage page(
      CircleId circleId,
      ConversationId conversation,
      Optional<MessageCursor> from,
      int limit,
      boolean descending) {
    if (conversation == null || from == null || limit < 1) {
      throw new IllegalArgumentException("conversation, cursor and a positive limit are required");
    }
    return read("reading a conversation", () -> {
      Circle circle = circle(circleId);
      byte[] prefix = circle.conversationPrefix(conversation.bytes());
      byte[] lower = prefix;
      byte[] upper = Keys.rangeEnd(prefix);
      if (from.isPresent() && !descending) {
        lower = Keys.withLong(prefix, from.get().createdAt());
      } else if (from.isPresent() && from.get().createdAt() < Long.MAX_VALUE) {
        upper = Keys.withLong(prefix, from.get().createdAt() + 1);
      }
      Comparator<MessageCursor> order = descending ? Comparator.reverseOrder() : Comparator.naturalOrder();
      List<Hit> hits = new ArrayList<>(Math.min(limit, 256));
      List<Hit> group = new ArrayList<>();
      boolean[] more = {false};
      long[] groupTime = {-1};
      Snapshot snapshot = db.getSnapshot();
      try {
        scanKeys(Cf.CONVERSATIONS, snapshot, lower, upper, descending, key -> {
          if (key.length != Circle.CONVERSATION_KEY) {
            throw new IntegrityException(Cf.CONVERSATIONS.cfName, "an index key has " + key.length + " bytes");
          }
          long createdAt = Keys.longAt(key, prefix.length);
          if (createdAt != groupTime[0]) {
            more[0] |= drain(group, order, from, hits, limit);
            if (hits.size() >= limit) {
              more[0] = true;
              return false;
            }
            groupTime[0] = createdAt;
          }
          group.add(new Hit(
              new MessageCursor(createdAt, circle.decryptIdAt(key, prefix.length + 8)),
              Keys.longAt(key, key.length - 8)));
          return true;
        });
        more[0] |= drain(group, order, from, hits, limit);
        List<StoredMessage> messages = fetch(circle, hits, snapshot, Cf.CONVERSATIONS);
        for (int i = 0; i < messages.size(); i++) {
          if (!messages.get(i).conversation().equals(conversation)
              || messages.get(i).createdAt() != hits.get(i).cursor().createdAt()) {
            throw new IntegrityException(Cf.CONVERSATIONS.cfName, "an index entry does not match its message");
          }
        }
        Optional<MessageCursor> next =
            more[0] && !hits.isEmpty() ? Optional.of(hits.get(hits.size() - 1).cursor()) : Optional.empty();
        if (descending) {
          Collections.reverse(messages);
        }
        return new MessagePage(messages, next);
      } finally {
        db.releaseSnapshot(snapshot);
        snapshot.close();
      }
    });
  }

  // Same-second entries are keyed by E(rumor id), whose order differs per device: sort each
  // created_at group by the real id so every device shows one order. Returns true if hits were
  // left over because the page is full.
  private static boolean drain(
      List<Hit> group,
      Comparator<MessageCursor> order,
      Optional<MessageCursor> from,
      List<Hit> hits,
      int limit) {
    if (group.size() > 1) {
      group.sort((a, b) -> order.compare(a.cursor(), b.cursor()));
    }
    boolean leftOver = false;
    for (Hit hit : group) {
      if (from.isPresent() && order.compare(hit.cursor(), from.get()) <= 0) {
        continue;
      }
      if (hits.size() < limit) {
        hits.add(hit);
      } else {
        leftOver = true;
      }
    }
    group.clear();
    return leftOver;
  }

  /** The messages that entries of {@code index} point at by seq, checked against them, in order. */
  private List<StoredMessage> fetch(Circle circle, List<Hit> hits, Snapshot snapshot, Cf index)
      throws RocksDBException {
    if (hits.isEmpty()) {
      return new ArrayList<>();
    }
    List<byte[]> keys = new ArrayList<>(hits.size());
    for (Hit hit : hits) {
      keys.add(circle.logKey(hit.seq()));
    }
    List<byte[]> values;
    try (ReadOptions at = new ReadOptions().setSnapshot(snapshot)) {
      values = db.multiGetAsList(at, Collections.nCopies(keys.size(), handle(Cf.LOG)), keys);
    }
    List<StoredMessage> messages = new ArrayList<>(hits.size());
    for (int i = 0; i < hits.size(); i++) {
      byte[] sealed = values.get(i);
      if (sealed == null) {
        // Both are written and erased by the same batch, and this read is one snapshot.
        throw new IntegrityException(index.cfName, "an index entry points at no message");
      }
      Hit hit = hits.get(i);
      messages.add(checked(circle, index, hit.cursor().rumorId(), hit.seq(), RecordType.openMessage(circle.data, keys.get(i), sealed)));
    }
    return messages;
  }

  /** A circle's log in sequence order, strictly after {@code afterSeq}. */
  public List<StoredMessage> log(CircleId circleId, long afterSeq, int limit) {
    if (afterSeq < 0 || limit < 1) {
      throw new IllegalArgumentException("afterSeq must be non-negative and limit positive");
    }
    return read("reading the log", () -> {
      Circle circle = circle(circleId);
      List<StoredMessage> messages = new ArrayList<>(Math.min(limit, 1024));
      if (afterSeq == Long.MAX_VALUE) {
        return messages;
      }
      // The log interleaves every circle (seq first): skip the others' keys without their values.
      // The sealed value is bound to its key, so the seq in the key is authenticated too.
      try (Slice lower = new Slice(Keys.withLong(new byte[0], afterSeq + 1));
          ReadOptions readOptions = new ReadOptions().setIterateLowerBound(lower);
          RocksIterator iterator = db.newIterator(handle(Cf.LOG), readOptions)) {
        for (iterator.seekToFirst(); iterator.isValid() && messages.size() < limit; iterator.next()) {
          byte[] key = iterator.key();
          if (key.length != Circle.LOG_KEY) {
            throw new IntegrityException(Cf.LOG.cfName, "a log key has " + key.length + " bytes");
          }
          if (circle.ownsLogKey(key)) {
            MessageRecord record = RecordType.openMessage(circle.data, key, iterator.value());
            messages.add(checked(circle, Cf.LOG, null, Keys.longAt(key, 0), record));
          }
        }
        iterator.status();
      }
      return messages;
    });
  }

  /**
   * Decodes a message read from the log and checks it against what pointed at it: its seq and,
   * unless null, its rumor id. A mismatch is an index entry that does not belong: {@code index}.
   */
  private StoredMessage checked(Circle circle, Cf index, EventId rumorId, long seq, MessageRecord record) {
    if (record.getSeq() != seq
        || (rumorId != null && !Arrays.equals(record.getRumorId().toByteArray(), rumorId.bytes()))) {
      throw new IntegrityException(index.cfName, "an index entry does not match its message");
    }
    EventId id = eventId(record.getRumorId(), Cf.LOG);
    if (!record.hasRumor()) {
      throw new StoreCorruptedException("an authenticated message in '" + Cf.LOG.cfName + "' has no rumor");
    }
    Rumor rumor = rumorFromFields(id, record);
    try {
      return new StoredMessage(
          record.getSeq(),
          circle.id,
          new ConversationId(record.getConversationId().toByteArray()),
          rumor,
          record.getWrapId().isEmpty()
              ? Optional.empty()
              : Optional.of(new EventId(record.getWrapId().toByteArray())));
    } catch (IllegalArgumentException e) {
      throw new StoreCorruptedException("an authenticated message has invalid fields");
    }
  }

  // The Rumor constructor recomputes the id from the fields and checks it.
  static Rumor rumorFromFields(EventId rumorId, MessageRecord record) {
    RumorFields fields = record.getRumor();
    if (!fields.getContent().isValidUtf8()) {
      throw new StoreCorruptedException("an authenticated message holds content that is not UTF-8");
    }
    try {
      List<Tag> tags = new ArrayList<>(fields.getTagsCount());
      for (TagValues tag : fields.getTagsList()) {
        tags.add(new Tag(tag.getValuesList()));
      }
      UnsignedEvent event =
          new UnsignedEvent(
              new PublicKey(fields.getPubkey().toByteArray()),
              record.getCreatedAt(),
              fields.getKind(),
              new Tags(tags),
              fields.getContent().toStringUtf8());
      return rumorId == null ? Rumor.of(event) : new Rumor(rumorId, event);
    } catch (IllegalArgumentException e) {
      throw new StoreCorruptedException("an authenticated message holds an invalid rumor");
    }
  }

  // ---------------------------------------------------------------- reads: events, tombstones

  /** Whether this wrap (or any recorded event) was seen in this circle: for dedup. */
  public boolean hasSeenEvent(CircleId circleId, EventId eventId) {
    return read("looking up an event", () -> db.get(handle(Cf.EVENTS), circle(circleId).eventKey(eventId)) != null);
  }

  /** Whether this rumor was erased; a late copy must then be dropped (deletion wins). */
  public boolean isTombstoned(CircleId circleId, EventId rumorId) {
    return tombstone(circleId, rumorId).isPresent();
  }

  public Optional<Tombstone> tombstone(CircleId circleId, EventId rumorId) {
    return read("reading a tombstone", () -> {
      Circle circle = circle(circleId);
      byte[] key = circle.rumorKey(rumorId);
      byte[] sealed = db.get(handle(Cf.MESSAGES), key);
      if (sealed == null) {
        return Optional.<Tombstone>empty();
      }
      RumorRecord slot = RecordType.openRumor(circle.data, key, sealed);
      if (!slot.hasTombstone()) {
        return Optional.<Tombstone>empty();
      }
      TombstoneRecord record = slot.getTombstone();
      TombstoneReason reason =
          switch (record.getReason()) {
            case TOMBSTONE_REASON_DELETED -> TombstoneReason.DELETED;
            case TOMBSTONE_REASON_EXPIRED -> TombstoneReason.EXPIRED;
            default -> throw new StoreCorruptedException("a tombstone has an unknown reason");
          };
      EventId stored = eventId(record.getRumorId(), Cf.MESSAGES);
      if (!stored.equals(rumorId)) {
        throw new StoreCorruptedException("an authenticated tombstone names another rumor than its key");
      }
      return Optional.of(new Tombstone(circleId, stored, record.getDeletedAt(), reason));
    });
  }

  // ---------------------------------------------------------------- reads: negentropy

  /**
   * Visits every recorded event of the circle with {@code since <= created_at <= until}, in NIP-77
   * order (created_at, then id). Runs under the store's read lock: keep the visitor fast.
   */
  public void forEachNegentropyItem(CircleId circleId, long since, long until, NegentropyVisitor visitor) {
    if (since < 0 || until < since || visitor == null) {
      throw new IllegalArgumentException("need 0 <= since <= until and a visitor");
    }
    read("iterating negentropy items", () -> {
      Circle circle = circle(circleId);
      byte[] lower = Keys.withLong(circle.prefix, since);
      byte[] upper = until == Long.MAX_VALUE ? Keys.rangeEnd(circle.prefix) : Keys.withLong(circle.prefix, until + 1);
      List<byte[]> group = new ArrayList<>();
      long groupTime = -1;
      // Keys only: each holds created_at and the encrypted id, so no value is read or opened.
      try (Slice lowerSlice = new Slice(lower);
          Slice upperSlice = new Slice(upper);
          ReadOptions readOptions =
              new ReadOptions().setIterateLowerBound(lowerSlice).setIterateUpperBound(upperSlice);
          RocksIterator iterator = db.newIterator(handle(Cf.NEGENTROPY), readOptions)) {
        byte[] key = new byte[Circle.NEGENTROPY_KEY];
        for (iterator.seekToFirst(); iterator.isValid(); iterator.next()) {
          int length = iterator.key(key);
          if (length != Circle.NEGENTROPY_KEY) {
            throw new IntegrityException(Cf.NEGENTROPY.cfName, "a key has " + length + " bytes, not " + Circle.NEGENTROPY_KEY);
          }
          long createdAt = Keys.longAt(key, Keys.PREFIX);
          if (createdAt != groupTime) {
            emit(groupTime, group, visitor);
            groupTime = createdAt;
          }
          byte[] id = new byte[EventId.LENGTH];
          circle.ids.decrypt(key, Keys.PREFIX + 8, id);
          group.add(id);
        }
        iterator.status();
      }
      emit(groupTime, group, visitor);
      return null;
    });
  }

  /** Every NIP-77 item of the circle in {@code [since, until]}, in order. */
  public List<NegentropyItem> negentropyItems(CircleId circleId, long since, long until) {
    List<NegentropyItem> items = new ArrayList<>();
    forEachNegentropyItem(circleId, since, until, (createdAt, id) -> items.add(new NegentropyItem(createdAt, new EventId(id))));
    return items;
  }

  // Same-second ids come in E(id) order, which differs per device: sort by the real id.
  private static void emit(long createdAt, List<byte[]> group, NegentropyVisitor visitor) {
    if (group.size() > 1) {
      group.sort(Arrays::compareUnsigned);
    }
    for (byte[] id : group) {
      visitor.visit(createdAt, id);
    }
    group.clear();
  }

  // ---------------------------------------------------------------- expirations (NIP-40)

  /** Registered expirations at or before {@code now}, earliest first per circle, at most {@code limit}. */
  public List<Expiry> expired(long now, int limit) {
    if (now < 0 || limit < 1) {
      throw new IllegalArgumentException("now must be non-negative and limit positive");
    }
    return read("listing expirations", () -> {
      List<Expiry> due = new ArrayList<>();
      for (Circle circle : sortedCircles()) {
        byte[] upper = now == Long.MAX_VALUE ? Keys.rangeEnd(circle.prefix) : Keys.withLong(circle.prefix, now + 1);
        scan(Cf.EXPIRATIONS, null, circle.prefix, upper, false, (key, value) -> {
          ExpirationEntry entry = RecordType.EXPIRATION.open(Cf.EXPIRATIONS, circle.data, key, value);
          due.add(new Expiry(circle.id, eventId(entry.getRumorId(), Cf.EXPIRATIONS), Keys.longAt(key, Keys.PREFIX)));
          return due.size() < limit;
        });
        if (due.size() >= limit) {
          break;
        }
      }
      return due;
    });
  }

  /**
   * Erases up to {@code limit} expired rumors in one atomic batch: each gets an EXPIRED tombstone
   * (so a late copy is refused) and its expiration entry is removed. Returns what was swept.
   */
  public List<Expiry> sweepExpired(long now, int limit) {
    List<Expiry> due = expired(now, limit);
    if (due.isEmpty()) {
      return due;
    }
    StoreBatch batch = batch();
    for (Expiry expiry : due) {
      batch.tombstone(expiry.circle(), expiry.rumorId(), now, TombstoneReason.EXPIRED);
      batch.clearExpiration(expiry.circle(), expiry.rumorId(), expiry.expiresAt());
    }
    batch.commit();
    return due;
  }

  // ---------------------------------------------------------------- cursors, outbox, device state

  public Optional<SyncCursor> cursor(CircleId circleId, String relayUrl) {
    return read("reading a cursor", () -> {
      Circle circle = circle(circleId);
      byte[] key = circle.hashedKey(Keys.DOMAIN_RELAY, relayUrl.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = db.get(handle(Cf.CURSORS), key);
      if (sealed == null) {
        return Optional.<SyncCursor>empty();
      }
      CursorRecord record = RecordType.CURSOR.open(Cf.CURSORS, circle.data, key, sealed);
      return Optional.of(new SyncCursor(record.getSince(), record.getUpdatedAt()));
    });
  }

  /** Every relay cursor of the circle, by relay URL. */
  public Map<String, SyncCursor> cursors(CircleId circleId) {
    return read("reading cursors", () -> {
      Circle circle = circle(circleId);
      Map<String, SyncCursor> out = new java.util.TreeMap<>();
      scan(Cf.CURSORS, null, circle.prefix, Keys.rangeEnd(circle.prefix), false, (key, value) -> {
        CursorRecord record = RecordType.CURSOR.open(Cf.CURSORS, circle.data, key, value);
        out.put(record.getRelayUrl(), new SyncCursor(record.getSince(), record.getUpdatedAt()));
        return true;
      });
      return out;
    });
  }

  public Optional<OutboxEntry> outboxEntry(CircleId circleId, EventId rumorId) {
    return read("reading the outbox", () -> {
      Circle circle = circle(circleId);
      byte[] key = circle.rumorKey(rumorId);
      byte[] sealed = db.get(handle(Cf.OUTBOX), key);
      return sealed == null
          ? Optional.<OutboxEntry>empty()
          : Optional.of(OutboxCodec.decode(circleId, RecordType.OUTBOX.open(Cf.OUTBOX, circle.data, key, sealed)));
    });
  }

  /** Every outbox entry of the circle (pending until the engine removes it), oldest first. */
  public List<OutboxEntry> pendingOutbox(CircleId circleId) {
    return read("reading the outbox", () -> outboxOf(circle(circleId)));
  }

  /** Every outbox entry of every circle, oldest first: what to resume after a restart. */
  public List<OutboxEntry> pendingOutbox() {
    return read("reading the outbox", () -> {
      List<OutboxEntry> all = new ArrayList<>();
      for (Circle circle : sortedCircles()) {
        all.addAll(outboxOf(circle));
      }
      all.sort(Comparator.comparingLong(OutboxEntry::createdAt));
      return all;
    });
  }

  private List<OutboxEntry> outboxOf(Circle circle) throws RocksDBException {
    List<OutboxEntry> entries = new ArrayList<>();
    scan(Cf.OUTBOX, null, circle.prefix, Keys.rangeEnd(circle.prefix), false, (key, value) -> {
      entries.add(OutboxCodec.decode(circle.id, RecordType.OUTBOX.open(Cf.OUTBOX, circle.data, key, value)));
      return true;
    });
    entries.sort(Comparator.comparingLong(OutboxEntry::createdAt));
    return entries;
  }

  /** A device-state document, as last put. */
  public Optional<byte[]> deviceState(String key) {
    return read("reading device state", () -> {
      byte[] storeKey = deviceStateKey(key);
      byte[] sealed = db.get(handle(Cf.DEVICE_STATE), storeKey);
      if (sealed == null) {
        return Optional.<byte[]>empty();
      }
      DeviceStateRecord record = RecordType.DEVICE_STATE.open(Cf.DEVICE_STATE, keys.globalData(), storeKey, sealed);
      if (!record.getKey().equals(key)) {
        throw new StoreCorruptedException("a device-state record is stored under another document's key");
      }
      return Optional.of(record.getValue().toByteArray());
    });
  }

  /** The keys of every device-state document, sorted. */
  public List<String> deviceStateKeys() {
    return read("listing device state", () -> {
      List<String> out = new ArrayList<>();
      scan(Cf.DEVICE_STATE, null, new byte[0], null, false, (key, value) -> {
        out.add(RecordType.DEVICE_STATE.open(Cf.DEVICE_STATE, keys.globalData(), key, value).getKey());
        return true;
      });
      Collections.sort(out);
      return out;
    });
  }

  // ---------------------------------------------------------------- diagnostics

  public Path directory() {
    return directory;
  }

  public SyncMode syncMode() {
    return options.syncMode();
  }

  /** Bytes held by the shared block cache, memtable reservations included. */
  public long blockCacheUsage() {
    return read("reading cache usage", () -> resources.cache.getUsage());
  }

  /** The highest sequence number committed so far. */
  public long lastSequence() {
    commitLock.lock();
    try {
      return lastSeq;
    } finally {
      commitLock.unlock();
    }
  }

  @Override
  public String toString() {
    return "EncryptedStore[" + directory + ", " + options.syncMode() + (closed ? ", closed" : "") + "]";
  }

  // ---------------------------------------------------------------- internals

  Circle circle(CircleId id) {
    if (id == null) {
      throw new IllegalArgumentException("circle id must not be null");
    }
    ensureOpen();
    Circle circle = circles.get(id);
    if (circle == null) {
      throw new UnknownCircleException("unknown circle: never created in this store, or deleted");
    }
    return circle;
  }

  private List<Circle> sortedCircles() {
    List<Circle> sorted = new ArrayList<>(circles.values());
    sorted.sort(Comparator.comparing(circle -> circle.id.value()));
    return sorted;
  }

  Aead globalData() {
    return keys.globalData();
  }

  byte[] deviceStateKey(String key) {
    return keys.globalIndex().hash(Keys.DOMAIN_DEVICE_STATE, key.getBytes(StandardCharsets.UTF_8));
  }

  ColumnFamilyHandle handle(Cf cf) {
    return handles.get(cf);
  }

  byte[] rawGet(Cf cf, byte[] key) throws RocksDBException {
    return db.get(handles.get(cf), key);
  }

  /** Values in the order of {@code keys}; null where absent. */
  List<byte[]> rawMultiGet(Cf cf, List<byte[]> keys) throws RocksDBException {
    return db.multiGetAsList(Collections.nCopies(keys.size(), handles.get(cf)), keys);
  }

  /** Presence without copying the value out (messages are a kilobyte or more). */
  boolean rawExists(Cf cf, byte[] key) throws RocksDBException {
    return db.get(handles.get(cf), key, new byte[1]) != RocksDB.NOT_FOUND;
  }

  private static EventId eventId(ByteString bytes, Cf cf) {
    if (bytes.size() != EventId.LENGTH) {
      throw new StoreCorruptedException("an authenticated record in '" + cf.cfName + "' holds a malformed id");
    }
    return new EventId(bytes.toByteArray());
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the store is closed");
    }
  }

  /** Inside the read lock: a reopen that failed left no database to use. */
  private void ensureAttached(String operation) {
    if (detached) {
      throw new StorageException(operation + " failed: the store could not be reopened after its writes stopped");
    }
  }

  @FunctionalInterface
  private interface RocksCall<T> {
    T call() throws RocksDBException;
  }

  @FunctionalInterface
  private interface EntryVisitor {
    /** Returns false to stop. */
    boolean visit(byte[] key, byte[] value);
  }

  private <T> T read(String operation, RocksCall<T> call) {
    if (detached) {
      resumeWrites(operation);
    }
    Lock lock = lifecycle.readLock();
    lock.lock();
    try {
      ensureOpen();
      ensureAttached(operation);
      return call.call();
    } catch (RocksDBException e) {
      throw StoreErrors.translate(e, operation);
    } finally {
      lock.unlock();
    }
  }

  private <T> T exclusive(String operation, RocksCall<T> call) {
    resumeWrites(operation);
    Lock lock = lifecycle.readLock();
    lock.lock();
    try {
      ensureOpen();
      ensureAttached(operation);
      commitLock.lock();
      try {
        return call.call();
      } finally {
        commitLock.unlock();
      }
    } catch (RocksDBException e) {
      throw writeFailed(e, operation);
    } finally {
      lock.unlock();
    }
  }

  @FunctionalInterface
  private interface KeyVisitor {
    /** Returns false to stop. */
    boolean visit(byte[] key);
  }

  /** Like {@link #scan} for the key-only families: values are never copied out. */
  private void scanKeys(Cf cf, Snapshot snapshot, byte[] lower, byte[] upper, boolean reverse, KeyVisitor visitor)
      throws RocksDBException {
    try (Slice lowerSlice = new Slice(lower);
        Slice upperSlice = new Slice(upper);
        ReadOptions readOptions = new ReadOptions().setIterateLowerBound(lowerSlice).setIterateUpperBound(upperSlice)) {
      if (snapshot != null) {
        readOptions.setSnapshot(snapshot);
      }
      try (RocksIterator iterator = db.newIterator(handle(cf), readOptions)) {
        if (reverse) {
          iterator.seekToLast();
        } else {
          iterator.seekToFirst();
        }
        while (iterator.isValid() && visitor.visit(iterator.key())) {
          if (reverse) {
            iterator.prev();
          } else {
            iterator.next();
          }
        }
        iterator.status();
      }
    }
  }

  /** Visits keys in {@code [lower, upper)} ({@code upper} null: to the end), forward or backward. */
  private void scan(Cf cf, Snapshot snapshot, byte[] lower, byte[] upper, boolean reverse, EntryVisitor visitor)
      throws RocksDBException {
    try (Slice lowerSlice = new Slice(lower);
        Slice upperSlice = upper == null ? null : new Slice(upper);
        ReadOptions readOptions = new ReadOptions()) {
      readOptions.setIterateLowerBound(lowerSlice);
      if (upperSlice != null) {
        readOptions.setIterateUpperBound(upperSlice);
      }
      if (snapshot != null) {
        readOptions.setSnapshot(snapshot);
      }
      try (RocksIterator iterator = db.newIterator(handle(cf), readOptions)) {
        if (reverse) {
          iterator.seekToLast();
        } else {
          iterator.seekToFirst();
        }
        while (iterator.isValid()) {
          if (!visitor.visit(iterator.key(), iterator.value())) {
            break;
          }
          if (reverse) {
            iterator.prev();
          } else {
            iterator.next();
          }
        }
        iterator.status();
      }
    }
  }

  static Map<String, Cf> columnFamiliesByName() {
    Map<String, Cf> byName = new LinkedHashMap<>();
    for (Cf cf : Cf.values()) {
      byName.put(cf.cfName, cf);
    }
    return byName;
  }
}
