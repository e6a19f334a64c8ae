package xchat.persistence;

import java.nio.ByteBuffer;
import java.util.ArrayList;
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
  private record Slot(Cf cf, ByteBuffer key) {}

  private final EncryptedStore store;
  final WriteBatch batch;
  private final Map<Slot, byte[]> written = new HashMap<>();
  private long lastSeq;
  private boolean seqAdvanced;

  final List<StoredMessage> appended = new ArrayList<>();
  final List<RumorRef> duplicates = new ArrayList<>();
  final List<RumorRef> rejected = new ArrayList<>();
  final List<RumorRef> erased = new ArrayList<>();
  final List<RumorRef> unknownOutbox = new ArrayList<>();

  CommitContext(EncryptedStore store, WriteBatch batch, long lastSeq) {
    this.store = store;
    this.batch = batch;
    this.lastSeq = lastSeq;
  }

  /** The current value, this batch's own writes first; null when absent or deleted. */
  byte[] get(Cf cf, byte[] key) throws RocksDBException {
    if (!cf.pointLookups) {
      throw new IllegalArgumentException(cf.cfName + " is not read back inside a commit");
    }
    Slot slot = new Slot(cf, ByteBuffer.wrap(key));
    if (written.containsKey(slot)) {
      return written.get(slot);
    }
    return store.rawGet(cf, key);
  }

  boolean exists(Cf cf, byte[] key) throws RocksDBException {
    if (!cf.pointLookups) {
      throw new IllegalArgumentException(cf.cfName + " is not read back inside a commit");
    }
    Slot slot = new Slot(cf, ByteBuffer.wrap(key));
    if (written.containsKey(slot)) {
      return written.get(slot) != null;
    }
    return store.rawExists(cf, key);
  }

  void put(Cf cf, byte[] key, byte[] value) throws RocksDBException {
    batch.put(store.handle(cf), key, value);
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
      written.put(new Slot(cf, ByteBuffer.wrap(key)), value);
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
