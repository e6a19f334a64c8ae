package xchat.persistence;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import xchat.persistence.log.RumorRef;
import xchat.persistence.log.StoredMessage;

/**
 * The state of one commit while its operations run under the commit lock: the write batch, what
 * the batch itself already wrote (so later operations read their own writes), and the outcome.
 */
final class CommitContext {
  // Hashing a wrapped ByteBuffer goes byte by byte through get(i): it showed in the profile.
  private record Slot(Cf cf, byte[] key) {
    @Override
    public boolean equals(Object other) {
      return other instanceof Slot that && cf == that.cf && Arrays.equals(key, that.key);
    }

    @Override
    public int hashCode() {
      return 31 * cf.hashCode() + Arrays.hashCode(key);
    }

    @Override
    public String toString() {
      return "Slot[" + cf.cfName + "]";
    }
  }

  // Values up to this size reach the batch through a direct buffer: the byte[] put pins or copies
  // both arrays in JNI (GetByteArrayElements: a malloc, a copy and a free each), which showed in
  // the profile; a direct buffer is read in place. Larger values (device state) go as byte[].
  static final int DIRECT_PUT_LIMIT = 64 << 10;

  private final EncryptedStore store;
  final WriteBatch batch;
  // Owned by the store and reused by every commit, which the commit lock serialises.
  private final ByteBuffer direct;
  private final Map<Slot, byte[]> written = new HashMap<>();
  // Values read ahead for the whole batch in one multi-get, as of the start of the commit.
  private final Map<Slot, byte[]> fetched = new HashMap<>();
  private long lastSeq;
  private boolean seqAdvanced;

  final List<StoredMessage> appended = new ArrayList<>();
  final List<RumorRef> duplicates = new ArrayList<>();
  final List<RumorRef> rejected = new ArrayList<>();
  final List<RumorRef> erased = new ArrayList<>();
  final List<RumorRef> unknownOutbox = new ArrayList<>();

  CommitContext(EncryptedStore store, WriteBatch batch, ByteBuffer direct, long lastSeq) {
    if (!direct.isDirect() || direct.capacity() < DIRECT_PUT_LIMIT) {
      throw new IllegalArgumentException("a direct buffer of at least " + DIRECT_PUT_LIMIT + " bytes");
    }
    this.store = store;
    this.batch = batch;
    this.direct = direct;
    this.lastSeq = lastSeq;
  }

  /**
   * Reads {@code keys} of {@code cf} in one multi-get, so that the point lookups the operations
   * make later are answered from memory. Must run before any operation writes: the values are
   * those at the start of the commit, and the batch's own writes take precedence over them.
   */
  void prefetch(Cf cf, List<byte[]> keys) throws RocksDBException {
    if (!cf.pointLookups || !written.isEmpty()) {
      throw new IllegalStateException("prefetch only point-lookup families, before any write");
    }
    if (keys.isEmpty()) {
      return;
    }
    List<byte[]> values = store.rawMultiGet(cf, keys);
    for (int i = 0; i < keys.size(); i++) {
      fetched.put(new Slot(cf, keys.get(i)), values.get(i));
    }
  }

  /** The current value, this batch's own writes first; null when absent or deleted. */
  byte[] get(Cf cf, byte[] key) throws RocksDBException {
    if (!cf.pointLookups) {
      throw new IllegalArgumentException(cf.cfName + " is not read back inside a commit");
    }
    Slot slot = new Slot(cf, key);
    if (written.containsKey(slot)) {
      return written.get(slot);
    }
    if (fetched.containsKey(slot)) {
      return fetched.get(slot);
    }
    return store.rawGet(cf, key);
  }

  boolean exists(Cf cf, byte[] key) throws RocksDBException {
    if (!cf.pointLookups) {
      throw new IllegalArgumentException(cf.cfName + " is not read back inside a commit");
    }
    Slot slot = new Slot(cf, key);
    if (written.containsKey(slot)) {
      return written.get(slot) != null;
    }
    return store.rawExists(cf, key);
  }

  void put(Cf cf, byte[] key, byte[] value) throws RocksDBException {
    if (key.length + value.length <= DIRECT_PUT_LIMIT) {
      // RocksDB copies both into the batch before put returns, so the buffer is free again.
      direct.clear();
      direct.put(key).put(value);
      batch.put(store.handle(cf), direct.slice(0, key.length), direct.slice(key.length, value.length));
    } else {
      batch.put(store.handle(cf), key, value);
    }
    remember(cf, key, value);
  }

  void delete(Cf cf, byte[] key) throws RocksDBException {
    batch.delete(store.handle(cf), key);
    remember(cf, key, null);
  }

  // Only the families that operations read back need remembering; the others (the log and the
  // range indexes) are written blind, and skipping them keeps bulk appends cheap.
  private void remember(Cf cf, byte[] key, byte[] value) {
    if (cf.pointLookups) {
      written.put(new Slot(cf, key), value);
    }
  }

  long nextSeq() {
    seqAdvanced = true;
    return ++lastSeq;
  }

  long lastSeq() {
    return lastSeq;
  }

  boolean seqAdvanced() {
    return seqAdvanced;
  }

  CommitResult result() {
    return new CommitResult(appended, duplicates, rejected, erased, unknownOutbox);
  }
}
