package xchat.persistence;

import com.google.protobuf.ByteString;
import java.util.Arrays;
import java.util.EnumMap;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import xchat.persistence.record.MessageRecord;
import xchat.persistence.record.RumorRecord;
import xchat.protocol.event.EventJson;
import xchat.protocol.event.EventParseException;
import xchat.protocol.event.Rumor;

/** Rewrites a layout-1 circle in place, on open; see {@link EncryptedStore#LAYOUT}. */
final class Layout1Migration {
  /** Batches of this many messages keep a migration's memory bounded. */
  private static final int MIGRATION_BATCH = 1000;

  private final RocksDB db;
  private final EnumMap<Cf, ColumnFamilyHandle> handles;
  private final WriteOptions syncWrites;

  Layout1Migration(RocksDB db, EnumMap<Cf, ColumnFamilyHandle> handles, WriteOptions syncWrites) {
    this.db = db;
    this.handles = handles;
    this.syncWrites = syncWrites;
  }

  // Layout 1 kept the whole message in its slot, a key-only log entry P||seq||E(id) and a
  // conversation entry without the seq. Each message slot is rewritten: the message (now naming
  // its rumor id) to log[seq||P], a live pointer to the slot, the conversation entry with its
  // seq. A rewritten slot is skipped and the layout record is written last, so an interrupted
  // migration resumes on the next open. Tombstones keep their layout-1 form, which still reads.
  void migrate(Circle circle) throws RocksDBException {
    WriteBatch batch = new WriteBatch();
    try (Slice lower = new Slice(circle.prefix);
        Slice upper = new Slice(Keys.rangeEnd(circle.prefix));
        ReadOptions readOptions = new ReadOptions().setIterateLowerBound(lower).setIterateUpperBound(upper);
        RocksIterator iterator = db.newIterator(handles.get(Cf.MESSAGES), readOptions)) {
      for (iterator.seekToFirst(); iterator.isValid(); iterator.next()) {
        byte[] key = iterator.key();
        RumorRecord slot =
            RecordType.RUMOR.parse(Cf.MESSAGES, RecordType.openBytes(Cf.MESSAGES, circle.data, key, iterator.value()));
        if (!slot.hasMessage()) {
          continue;
        }
        migrateMessage(circle, key, slot.getMessage(), batch);
        if (batch.count() >= 5 * MIGRATION_BATCH) {
          db.write(syncWrites, batch);
          batch.close();
          batch = new WriteBatch();
        }
      }
      iterator.status();
      if (batch.count() > 0) {
        db.write(syncWrites, batch);
      }
    } finally {
      batch.close();
    }
  }

  private void migrateMessage(Circle circle, byte[] key, MessageRecord old, WriteBatch batch) throws RocksDBException {
    if (old.getVersion() < 1 || old.getVersion() > 2) {
      throw new StoreCorruptedException(
          "a layout-1 message in '" + Cf.MESSAGES.cfName + "' has format version " + old.getVersion() + "; it reads 1..2");
    }
    Rumor rumor;
    try {
      rumor = old.hasRumor() ? EncryptedStore.rumorFromFields(null, old) : EventJson.parseRumor(old.getRumorJson().toStringUtf8());
    } catch (EventParseException e) {
      throw new StoreCorruptedException("an authenticated layout-1 message holds an unreadable rumor: " + e.reason());
    }
    if (!Arrays.equals(circle.rumorKey(rumor.id()), key) || rumor.event().createdAt() != old.getCreatedAt()) {
      throw new IntegrityException(Cf.MESSAGES.cfName, "a layout-1 message is stored under another rumor's key");
    }
    long seq = old.getSeq();
    long createdAt = old.getCreatedAt();
    byte[] encryptedId = circle.encryptId(rumor.id());
    byte[] conversationPrefix = circle.conversationPrefix(old.getConversationId().toByteArray());
    MessageRecord record =
        old.toBuilder()
            .setVersion(RecordType.MESSAGE_VERSION)
            .clearRumorJson()
            .setRumor(StoreBatch.rumorFields(rumor))
            .setRumorId(ByteString.copyFrom(rumor.id().bytes()))
            .build();
    byte[] logKey = circle.logKey(seq);
    batch.put(handles.get(Cf.LOG), logKey, RecordType.seal(Cf.LOG, circle.data, logKey, record));
    batch.delete(handles.get(Cf.LOG), Keys.withLongAndHash(circle.prefix, seq, encryptedId));
    batch.put(handles.get(Cf.MESSAGES), key, RecordType.seal(Cf.MESSAGES, circle.data, key, StoreBatch.liveSlot(seq, createdAt, old.getConversationId())));
    batch.delete(handles.get(Cf.CONVERSATIONS), Keys.withLongAndHash(conversationPrefix, createdAt, encryptedId));
    batch.put(handles.get(Cf.CONVERSATIONS), Circle.conversationKey(conversationPrefix, createdAt, encryptedId, seq), Keys.EMPTY);
  }
}
