package xchat.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xchat.persistence.log.ConversationId;
import xchat.persistence.record.LayoutRecord;
import xchat.persistence.record.MessageRecord;
import xchat.persistence.record.RumorRecord;
import xchat.protocol.event.Rumor;
import xchat.protocol.event.Tag;

/** Record formats and key layouts: what this build writes reads back, and what it does not know is refused. */
class MessageFormatTest {
  private static final CircleId CIRCLE = CircleId.of("friends");

  @TempDir Path dir;

  @Test
  void messageRecordRoundTripsTagsAndUnicodeContent() {
    Random random = new Random(8);
    ConversationId conversation = Fixtures.conversation(random);
    Rumor rumor =
        Fixtures.rumor(Fixtures.pubkey(random), 1_700_000_001L, "line\nbreak, tab\t, emoji \uD83D\uDE00, nul \u0000",
            Tag.of("e", "00".repeat(32), "", "reply"), Tag.of("expiration", "9999999999"));
    try (EncryptedStore store = EncryptedStore.create(dir, Fixtures.passphrase(), Fixtures.OPTIONS)) {
      store.createCircle(CIRCLE);
      store.batch().appendMessage(CIRCLE, conversation, rumor).commit();
    }
    try (EncryptedStore store = EncryptedStore.open(dir, Fixtures.passphrase(), Fixtures.OPTIONS)) {
      assertEquals(rumor, store.message(CIRCLE, rumor.id()).orElseThrow().rumor());
      assertEquals(rumor, store.log(CIRCLE, 0, 10).get(0).rumor());
      assertEquals(rumor, store.messages(CIRCLE, conversation, Optional.empty(), 10).messages().get(0).rumor());
    }
  }

  @Test
  void messageRecordOfANewerVersionIsRefused() throws Exception {
    Random random = new Random(9);
    ConversationId conversation = Fixtures.conversation(random);
    Rumor rumor = Fixtures.rumor(random, 1_700_000_002L, "from the future");
    byte[] key;
    byte[] future;
    try (EncryptedStore store = EncryptedStore.create(dir, Fixtures.passphrase(), Fixtures.OPTIONS)) {
      store.createCircle(CIRCLE);
      store.batch().appendMessage(CIRCLE, conversation, rumor).commit();
      Circle circle = store.circle(CIRCLE);
      key = circle.logKey(1);
      MessageRecord newer =
          MessageRecord.newBuilder()
              .setVersion(RecordType.MESSAGE_VERSION + 1)
              .setRumorId(ByteString.copyFrom(rumor.id().bytes()))
              .setConversationId(ByteString.copyFrom(conversation.bytes()))
              .setSeq(1)
              .setCreatedAt(rumor.event().createdAt())
              .build();
      future = RecordType.seal(Cf.LOG, circle.data, key, newer);
    }
    try (RawDb raw = new RawDb(dir)) {
      raw.put(Cf.LOG, key, future);
    }
    try (EncryptedStore store = EncryptedStore.open(dir, Fixtures.passphrase(), Fixtures.OPTIONS)) {
      assertThrows(StoreCorruptedException.class, () -> store.message(CIRCLE, rumor.id()));
      assertThrows(StoreCorruptedException.class, () -> store.log(CIRCLE, 0, 10));
    }
  }

  @Test
  void rumorSlotOfANewerVersionIsRefused() throws Exception {
    Random random = new Random(10);
    Rumor rumor = Fixtures.rumor(random, 1_700_000_003L, "slot from the future");
    byte[] key;
    byte[] future;
    try (EncryptedStore store = EncryptedStore.create(dir, Fixtures.passphrase(), Fixtures.OPTIONS)) {
      store.createCircle(CIRCLE);
      store.batch().tombstone(CIRCLE, rumor.id(), 5).commit();
      Circle circle = store.circle(CIRCLE);
      key = circle.rumorKey(rumor.id());
      RumorRecord stored = RecordType.openRumor(circle.data, key, rawGet(store, key));
      future = RecordType.seal(Cf.MESSAGES, circle.data, key,
          stored.toBuilder().setVersion(RecordType.RUMOR_VERSION + 1).build());
    }
    try (RawDb raw = new RawDb(dir)) {
      raw.put(Cf.MESSAGES, key, future);
    }
    try (EncryptedStore store = EncryptedStore.open(dir, Fixtures.passphrase(), Fixtures.OPTIONS)) {
      assertThrows(StoreCorruptedException.class, () -> store.isTombstoned(CIRCLE, rumor.id()));
    }
  }

  @Test
  void storeOfANewerLayoutIsRefused() throws Exception {
    byte[] newer;
    try (EncryptedStore store = EncryptedStore.create(dir, Fixtures.passphrase(), Fixtures.OPTIONS)) {
      newer = RecordType.seal(Cf.META, store.globalData(), Keys.META_LAYOUT,
          LayoutRecord.newBuilder().setVersion(1).setLayout(EncryptedStore.LAYOUT + 1).build());
    }
    try (RawDb raw = new RawDb(dir)) {
      raw.put(Cf.META, Keys.META_LAYOUT, newer);
    }
    UnsupportedLayoutException error =
        assertThrows(UnsupportedLayoutException.class,
            () -> EncryptedStore.open(dir, Fixtures.passphrase(), Fixtures.OPTIONS).close());
    assertEquals(EncryptedStore.LAYOUT + 1, error.found());
  }

  @Test
  void storeWithoutMessagesOrLayoutRecordIsStampedOnOpen() throws Exception {
    try (EncryptedStore store = EncryptedStore.create(dir, Fixtures.passphrase(), Fixtures.OPTIONS)) {
      store.createCircle(CIRCLE);
    }
    try (RawDb raw = new RawDb(dir)) {
      raw.delete(Cf.META, Keys.META_LAYOUT);
    }
    Random random = new Random(11);
    Rumor rumor = Fixtures.rumor(random, 1_700_000_004L, "after the stamp");
    try (EncryptedStore store = EncryptedStore.open(dir, Fixtures.passphrase(), Fixtures.OPTIONS)) {
      store.batch().appendMessage(CIRCLE, Fixtures.conversation(random), rumor).commit();
    }
    try (RawDb raw = new RawDb(dir)) {
      assertNotNull(raw.get(Cf.META, Keys.META_LAYOUT));
    }
    try (EncryptedStore store = EncryptedStore.open(dir, Fixtures.passphrase(), Fixtures.OPTIONS)) {
      assertEquals(rumor, store.message(CIRCLE, rumor.id()).orElseThrow().rumor());
    }
  }

  private static byte[] rawGet(EncryptedStore store, byte[] key) throws Exception {
    return store.rawGet(Cf.MESSAGES, key);
  }
}
