package xchat.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDBException;
import xchat.persistence.log.ConversationId;
import xchat.persistence.log.StoredMessage;
import xchat.persistence.record.MessageRecord;
import xchat.persistence.record.RumorRecord;
import xchat.protocol.event.EventJson;
import xchat.protocol.event.Rumor;

/** A store written in layout 1 (the whole message in its slot) opens migrated to layout 2. */
class LayoutMigrationTest {
  private static final CircleId CIRCLE = CircleId.of("friends");
  private static final long SEED = 13;

  @TempDir Path dir;

  private final Random random = new Random(SEED);
  private final ConversationId first = Fixtures.conversation(random);
  private final ConversationId second = Fixtures.conversation(random);
  // Two in one second (re-sorted by id), one in another conversation, one kept as rumor JSON
  // (MessageRecord version 1), one tombstoned.
  private final List<Rumor> rumors =
      List.of(
          Fixtures.rumor(random, 100, "a"),
          Fixtures.rumor(random, 100, "b"),
          Fixtures.rumor(random, 50, "other conversation"),
          Fixtures.rumor(random, 101, "json"),
          Fixtures.rumor(random, 99, "doomed"));

  private interface RawOp {
    void apply(RawDb raw) throws RocksDBException;
  }

  @Test
  void storeOfTheFirstLayoutIsMigratedOnOpen() throws Exception {
    assertMigrates(rumor -> true);
  }

  @Test
  void partlyMigratedStoreFinishesOnOpen() throws Exception {
    // What an open interrupted between migration batches leaves: some slots already live.
    assertMigrates(rumor -> !rumor.equals(rumors.get(0)) && !rumor.equals(rumors.get(2)));
  }

  private void assertMigrates(Predicate<Rumor> downgraded) throws Exception {
    List<StoredMessage> log;
    List<StoredMessage> firstPage;
    List<StoredMessage> secondPage;
    List<RawOp> toLayout1 = new ArrayList<>();
    try (EncryptedStore store = EncryptedStore.create(dir, Fixtures.passphrase(), Fixtures.OPTIONS)) {
      store.createCircle(CIRCLE);
      StoreBatch batch = store.batch();
      for (Rumor rumor : rumors) {
        batch.appendMessage(CIRCLE, rumor == rumors.get(2) ? second : first, rumor);
      }
      batch.commit();
      store.batch().tombstone(CIRCLE, rumors.get(4).id(), 200).commit();
      log = store.log(CIRCLE, 0, 10);
      firstPage = store.messages(CIRCLE, first, Optional.empty(), 10).messages();
      secondPage = store.messages(CIRCLE, second, Optional.empty(), 10).messages();
      Circle circle = store.circle(CIRCLE);
      for (StoredMessage message : log) {
        if (downgraded.test(message.rumor())) {
          toLayout1.addAll(layoutOne(circle, message, message.rumor().equals(rumors.get(3))));
        }
      }
      byte[] tombstoneKey = circle.rumorKey(rumors.get(4).id());
      RumorRecord tombstone = RecordType.openRumor(circle.data, tombstoneKey, store.rawGet(Cf.MESSAGES, tombstoneKey));
      byte[] oldTombstone = RecordType.seal(Cf.MESSAGES, circle.data, tombstoneKey, tombstone.toBuilder().setVersion(1).build());
      toLayout1.add(raw -> raw.put(Cf.MESSAGES, tombstoneKey, oldTombstone));
    }
    assertEquals(4, log.size(), "seed " + SEED);
    try (RawDb raw = new RawDb(dir)) {
      raw.delete(Cf.META, Keys.META_LAYOUT);
      for (RawOp op : toLayout1) {
        op.apply(raw);
      }
    }
    try (EncryptedStore store = EncryptedStore.open(dir, Fixtures.passphrase(), Fixtures.OPTIONS)) {
      assertEquals(log, store.log(CIRCLE, 0, 10), "seed " + SEED);
      assertEquals(firstPage, store.messages(CIRCLE, first, Optional.empty(), 10).messages(), "seed " + SEED);
      assertEquals(secondPage, store.messages(CIRCLE, second, Optional.empty(), 10).messages(), "seed " + SEED);
      for (StoredMessage message : log) {
        assertEquals(message, store.message(CIRCLE, message.rumor().id()).orElseThrow());
      }
      assertTrue(store.isTombstoned(CIRCLE, rumors.get(4).id()));
      CommitResult again =
          store.batch().appendMessage(CIRCLE, first, rumors.get(0)).appendMessage(CIRCLE, first, rumors.get(4)).commit();
      assertEquals(1, again.duplicates().size());
      assertEquals(1, again.rejectedTombstoned().size());
      Rumor later = Fixtures.rumor(random, 300, "after the migration");
      store.batch().appendMessage(CIRCLE, first, later).commit();
      assertEquals(rumors.size() + 1, store.message(CIRCLE, later.id()).orElseThrow().seq(), "the sequence continues");
      store.batch().tombstone(CIRCLE, rumors.get(0).id(), 301).commit();
      assertTrue(store.message(CIRCLE, rumors.get(0).id()).isEmpty());
    }
    try (RawDb raw = new RawDb(dir)) {
      assertNotNull(raw.get(Cf.META, Keys.META_LAYOUT));
      raw.keys(Cf.LOG).forEach(key -> assertEquals(Circle.LOG_KEY, key.length, "no layout-1 log key is left"));
      raw.keys(Cf.CONVERSATIONS).forEach(key -> assertEquals(Circle.CONVERSATION_KEY, key.length, "no layout-1 conversation key is left"));
      assertEquals(4, raw.keys(Cf.LOG).size(), "four live after the migration, one more appended, one erased");
    }
  }

  // The raw writes that turn one message of layout 2 into what layout 1 stored for it.
  private static List<RawOp> layoutOne(Circle circle, StoredMessage message, boolean asJson) {
    Rumor rumor = message.rumor();
    byte[] slotKey = circle.rumorKey(rumor.id());
    byte[] encryptedId = circle.encryptId(rumor.id());
    byte[] conversationPrefix = circle.conversationPrefix(message.conversation().bytes());
    MessageRecord.Builder record =
        MessageRecord.newBuilder()
            .setConversationId(ByteString.copyFrom(message.conversation().bytes()))
            .setWrapId(message.wrapId().map(id -> ByteString.copyFrom(id.bytes())).orElse(ByteString.EMPTY))
            .setSeq(message.seq())
            .setCreatedAt(message.createdAt());
    if (asJson) {
      record.setVersion(1).setRumorJson(ByteString.copyFrom(EventJson.toJson(rumor), StandardCharsets.UTF_8));
    } else {
      record.setVersion(2).setRumor(StoreBatch.rumorFields(rumor));
    }
    byte[] slot = RecordType.seal(Cf.MESSAGES, circle.data, slotKey,
        RumorRecord.newBuilder().setVersion(1).setMessage(record).build());
    long seq = message.seq();
    long createdAt = message.createdAt();
    return List.of(
        raw -> raw.put(Cf.MESSAGES, slotKey, slot),
        raw -> raw.delete(Cf.LOG, circle.logKey(seq)),
        raw -> raw.put(Cf.LOG, Keys.withLongAndHash(circle.prefix, seq, encryptedId), Keys.EMPTY),
        raw -> raw.delete(Cf.CONVERSATIONS, Circle.conversationKey(conversationPrefix, createdAt, encryptedId, seq)),
        raw -> raw.put(Cf.CONVERSATIONS, Keys.withLongAndHash(conversationPrefix, createdAt, encryptedId), Keys.EMPTY));
  }
}
