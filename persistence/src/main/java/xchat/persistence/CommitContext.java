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
    Slot slot = new Slot(cf, ByteBuffer.wrap(key));
    if (written.containsKey(slot)) {
      return written.get(slot);
    }
    return store.rawGet(cf, key);
  }

  boolean exists(Cf cf, byte[] key) throws RocksDBException {
    return get(cf, key) != null;
  }

  void put(Cf cf, byte[] key, byte[] value) throws RocksDBException {
    batch.put(store.handle(cf), key, value);
    written.put(new Slot(cf, ByteBuffer.wrap(key)), value);
  }

  void delete(Cf cf, byte[] key) throws RocksDBException {
    batch.delete(store.handle(cf), key);
    written.put(new Slot(cf, ByteBuffer.wrap(key)), null);
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
