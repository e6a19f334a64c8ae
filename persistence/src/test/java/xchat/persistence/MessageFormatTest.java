package xchat.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xchat.persistence.log.ConversationId;
import xchat.persistence.log.StoredMessage;
import xchat.persistence.record.MessageRecord;
import xchat.persistence.record.RumorRecord;
import xchat.protocol.event.EventJson;
import xchat.protocol.event.Rumor;
import xchat.protocol.event.Tag;

/** Message records of every format version this build writes or has written read back alike. */
class MessageFormatTest {
  private static final CircleId CIRCLE = CircleId.of("friends");

  @TempDir Path dir;

  @Test
  void versionOneRecordWithRumorJsonStillReadsBack() throws Exception {
    Random random = new Random(7);
    ConversationId conversation = Fixtures.conversation(random);
    Rumor rumor =
        Fixtures.rumor(Fixtures.pubkey(random), 1_700_000_000L, "héllo \uD83D\uDE00 \"quoted\"",
            Tag.of("p", Fixtures.pubkey(random).hex()), Tag.of("subject", "a", "b"));
    byte[] key;
    byte[] legacy;
    try (EncryptedStore store = EncryptedStore.create(dir, Fixtures.passphrase(), Fixtures.OPTIONS)) {
      store.createCircle(CIRCLE);
      store.batch().appendMessage(CIRCLE, conversation, rumor).commit();
      Circle circle = store.circle(CIRCLE);
      key = circle.rumorKey(rumor.id());
      // What the first format wrote for the same message: the rumor as JSON.
      MessageRecord v1 =
          MessageRecord.newBuilder()
              .setVersion(1)
              .setRumorJson(ByteString.copyFrom(EventJson.toJson(rumor), StandardCharsets.UTF_8))
              .setConversationId(ByteString.copyFrom(conversation.bytes()))
              .setSeq(1)
              .setCreatedAt(rumor.event().createdAt())
              .build();
      legacy = RecordType.seal(Cf.MESSAGES, circle.data, key,
          RumorRecord.newBuilder().setVersion(1).setMessage(v1).build());
    }
    try (RawDb raw = new RawDb(dir)) {
      raw.put(Cf.MESSAGES, key, legacy);
    }
    try (EncryptedStore store = EncryptedStore.open(dir, Fixtures.passphrase(), Fixtures.OPTIONS)) {
      StoredMessage read = store.message(CIRCLE, rumor.id()).orElseThrow();
      assertEquals(rumor, read.rumor());
      assertEquals(1, read.seq());
      assertEquals(List.of(rumor), store.log(CIRCLE, 0, 10).stream().map(StoredMessage::rumor).toList());
      assertEquals(List.of(rumor),
          store.messages(CIRCLE, conversation, Optional.empty(), 10).messages().stream().map(StoredMessage::rumor).toList());
    }
  }

  @Test
  void versionTwoRecordRoundTripsTagsAndUnicodeContent() {
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
    }
  }

  @Test
  void recordOfANewerVersionIsRefused() throws Exception {
    Random random = new Random(9);
    ConversationId conversation = Fixtures.conversation(random);
    Rumor rumor = Fixtures.rumor(random, 1_700_000_002L, "from the future");
    byte[] key;
    byte[] future;
    try (EncryptedStore store = EncryptedStore.create(dir, Fixtures.passphrase(), Fixtures.OPTIONS)) {
      store.createCircle(CIRCLE);
      Circle circle = store.circle(CIRCLE);
      key = circle.rumorKey(rumor.id());
      MessageRecord v3 =
          MessageRecord.newBuilder()
              .setVersion(RecordType.MESSAGE_VERSION + 1)
              .setConversationId(ByteString.copyFrom(conversation.bytes()))
              .setSeq(1)
              .setCreatedAt(rumor.event().createdAt())
              .build();
      future = RecordType.seal(Cf.MESSAGES, circle.data, key,
          RumorRecord.newBuilder().setVersion(1).setMessage(v3).build());
    }
    try (RawDb raw = new RawDb(dir)) {
      raw.put(Cf.MESSAGES, key, future);
    }
    try (EncryptedStore store = EncryptedStore.open(dir, Fixtures.passphrase(), Fixtures.OPTIONS)) {
      assertThrows(StoreCorruptedException.class, () -> store.message(CIRCLE, rumor.id()));
    }
  }
}
