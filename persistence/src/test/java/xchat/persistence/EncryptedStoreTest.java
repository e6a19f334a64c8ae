package xchat.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xchat.persistence.cursor.SyncCursor;
import xchat.persistence.index.Expiry;
import xchat.persistence.index.NegentropyItem;
import xchat.persistence.log.ConversationId;
import xchat.persistence.log.MessageCursor;
import xchat.persistence.log.MessagePage;
import xchat.persistence.log.RumorRef;
import xchat.persistence.log.StoredMessage;
import xchat.persistence.log.TombstoneReason;
import xchat.persistence.outbox.AckState;
import xchat.persistence.outbox.OutboxCopy;
import xchat.persistence.outbox.OutboxEntry;
import xchat.persistence.outbox.RelayAck;
import xchat.protocol.event.EventId;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.Rumor;
import xchat.protocol.event.Tag;
import xchat.protocol.keys.PublicKey;

class EncryptedStoreTest {
  private static final CircleId FRIENDS = CircleId.of("friends");
  private static final CircleId WORK = CircleId.of("work");

  @TempDir Path dir;

  private EncryptedStore create() {
    EncryptedStore store = EncryptedStore.create(dir, Fixtures.passphrase(), Fixtures.OPTIONS);
    store.createCircle(FRIENDS);
    store.createCircle(WORK);
    return store;
  }

  private EncryptedStore reopen() {
    return EncryptedStore.open(dir, Fixtures.passphrase(), Fixtures.OPTIONS);
  }

  @Test
  void appendedMessageReadsBackByRumorIdAfterReopen() {
    Random random = new Random(1);
    ConversationId conversation = Fixtures.conversation(random);
    Rumor rumor = Fixtures.rumor(random, 1_700_000_000L, "hello there");
    NostrEvent wrap = Fixtures.wrap(random, 1_699_990_000L, rumor.event().pubkey());
    try (EncryptedStore store = create()) {
      CommitResult result =
          store.batch()
              .recordEvent(FRIENDS, wrap)
              .appendMessage(FRIENDS, conversation, rumor, Optional.of(wrap.id()))
              .commit();
      assertEquals(1, result.appended().size());
      assertEquals(1L, result.appended().get(0).seq());
    }
    try (EncryptedStore store = reopen()) {
      StoredMessage stored = store.message(FRIENDS, rumor.id()).orElseThrow();
      assertEquals(rumor, stored.rumor());
      assertEquals(conversation, stored.conversation());
      assertEquals(Optional.of(wrap.id()), stored.wrapId());
      assertEquals(FRIENDS, stored.circle());
      assertTrue(store.hasSeenEvent(FRIENDS, wrap.id()));
      assertFalse(store.hasSeenEvent(WORK, wrap.id()), "circles never mix");
      assertTrue(store.message(WORK, rumor.id()).isEmpty(), "circles never mix");
      assertEquals(1L, store.lastSequence());
    }
  }

  @Test
  void duplicateRumorIsStoredOnce() {
    Random random = new Random(2);
    ConversationId conversation = Fixtures.conversation(random);
    Rumor rumor = Fixtures.rumor(random, 100, "once");
    try (EncryptedStore store = create()) {
      store.batch().appendMessage(FRIENDS, conversation, rumor).commit();
      CommitResult again =
          store.batch().appendMessage(FRIENDS, conversation, rumor).appendMessage(FRIENDS, conversation, rumor).commit();
      assertEquals(List.of(), again.appended());
      assertEquals(List.of(new RumorRef(FRIENDS, rumor.id()), new RumorRef(FRIENDS, rumor.id())), again.duplicates());
      assertEquals(1, store.messages(FRIENDS, conversation, Optional.empty(), 10).messages().size());
      CommitResult inOneBatch =
          store.batch()
              .appendMessage(WORK, conversation, rumor)
              .appendMessage(WORK, conversation, rumor)
              .commit();
      assertEquals(1, inOneBatch.appended().size(), "a batch sees its own writes");
      assertEquals(1, inOneBatch.duplicates().size());
    }
  }

  @Test
  void pagesFollowCreatedAtThenRumorIdInBothDirections() {
    Random random = new Random(3);
    ConversationId conversation = Fixtures.conversation(random);
    ConversationId other = Fixtures.conversation(random);
    List<Rumor> rumors = new ArrayList<>();
    try (EncryptedStore store = create()) {
      StoreBatch batch = store.batch();
      for (int i = 0; i < 60; i++) {
        // Many share a second, so HMAC order and id order must be reconciled.
        Rumor rumor = Fixtures.rumor(random, 1000 + random.nextInt(6), "m" + i);
        rumors.add(rumor);
        batch.appendMessage(FRIENDS, conversation, rumor);
        batch.appendMessage(FRIENDS, other, Fixtures.rumor(random, 1000 + i, "other" + i));
      }
      batch.commit();
      rumors.sort(Comparator.comparingLong((Rumor r) -> r.event().createdAt()).thenComparing(Rumor::id));

      List<Rumor> forward = new ArrayList<>();
      Optional<MessageCursor> cursor = Optional.empty();
      int pages = 0;
      do {
        MessagePage page = store.messages(FRIENDS, conversation, cursor, 7);
        page.messages().forEach(m -> forward.add(m.rumor()));
        cursor = page.next();
        pages++;
      } while (cursor.isPresent());
      assertEquals(rumors, forward);
      assertEquals(9, pages, "60 messages in pages of 7, plus one empty page after a full one");

      List<Rumor> backward = new ArrayList<>();
      cursor = Optional.empty();
      do {
        MessagePage page = store.messagesBefore(FRIENDS, conversation, cursor, 11);
        List<Rumor> chunk = page.messages().stream().map(StoredMessage::rumor).toList();
        backward.addAll(0, chunk);
        cursor = page.next();
      } while (cursor.isPresent());
      assertEquals(rumors, backward);

      MessagePage latest = store.messagesBefore(FRIENDS, conversation, Optional.empty(), 5);
      assertEquals(rumors.subList(55, 60), latest.messages().stream().map(StoredMessage::rumor).toList());
    }
  }

  @Test
  void logListsACircleInSequenceOrder() {
    Random random = new Random(4);
    ConversationId conversation = Fixtures.conversation(random);
    try (EncryptedStore store = create()) {
      for (int i = 0; i < 5; i++) {
        store.batch()
            .appendMessage(FRIENDS, conversation, Fixtures.rumor(random, 500 - i, "f" + i))
            .appendMessage(WORK, conversation, Fixtures.rumor(random, 500 - i, "w" + i))
            .commit();
      }
      List<StoredMessage> friends = store.log(FRIENDS, 0, 100);
      assertEquals(List.of("f0", "f1", "f2", "f3", "f4"), friends.stream().map(m -> m.rumor().event().content()).toList());
      List<StoredMessage> tail = store.log(FRIENDS, friends.get(2).seq(), 100);
      assertEquals(List.of("f3", "f4"), tail.stream().map(m -> m.rumor().event().content()).toList());
      assertEquals(2, store.log(WORK, 0, 2).size());
    }
  }

  @Test
  void negentropyItemsComeInCreatedAtThenIdOrder() {
    Random random = new Random(5);
    PublicKey me = Fixtures.pubkey(random);
    List<NegentropyItem> expected = new ArrayList<>();
    try (EncryptedStore store = create()) {
      StoreBatch batch = store.batch();
      for (int i = 0; i < 300; i++) {
        NostrEvent wrap = Fixtures.wrap(random, 10_000 + random.nextInt(40), me);
        expected.add(new NegentropyItem(wrap.createdAt(), wrap.id()));
        batch.recordEvent(FRIENDS, wrap);
      }
      batch.recordEvent(WORK, Fixtures.wrap(random, 10_005, me));
      batch.commit();
      expected.sort(Comparator.naturalOrder());
      assertEquals(expected, store.negentropyItems(FRIENDS, 0, Long.MAX_VALUE));
      List<NegentropyItem> window = store.negentropyItems(FRIENDS, 10_010, 10_019);
      assertEquals(
          expected.stream().filter(item -> item.createdAt() >= 10_010 && item.createdAt() <= 10_019).toList(),
          window);
      assertEquals(1, store.negentropyItems(WORK, 0, Long.MAX_VALUE).size());
    }
  }

  @Test
  void tombstoneErasesTheMessageAndRejectsLateCopies() throws Exception {
    Random random = new Random(6);
    ConversationId conversation = Fixtures.conversation(random);
    Rumor doomed = Fixtures.rumor(random, 200, "secret to be deleted");
    Rumor kept = Fixtures.rumor(random, 201, "kept");
    try (EncryptedStore store = create()) {
      store.batch().appendMessage(FRIENDS, conversation, doomed).appendMessage(FRIENDS, conversation, kept).commit();
      CommitResult deletion = store.batch().tombstone(FRIENDS, doomed.id(), 300).commit();
      assertEquals(List.of(new RumorRef(FRIENDS, doomed.id())), deletion.erased());
      assertTrue(store.message(FRIENDS, doomed.id()).isEmpty());
      assertTrue(store.isTombstoned(FRIENDS, doomed.id()));
      assertFalse(store.isTombstoned(WORK, doomed.id()));
      assertEquals(TombstoneReason.DELETED, store.tombstone(FRIENDS, doomed.id()).orElseThrow().reason());
      assertEquals(List.of(kept), store.messages(FRIENDS, conversation, Optional.empty(), 10).messages().stream().map(StoredMessage::rumor).toList());
      assertEquals(1, store.log(FRIENDS, 0, 10).size());

      CommitResult late = store.batch().appendMessage(FRIENDS, conversation, doomed).commit();
      assertEquals(List.of(new RumorRef(FRIENDS, doomed.id())), late.rejectedTombstoned());
      assertTrue(store.message(FRIENDS, doomed.id()).isEmpty(), "deletion wins over a late copy");
    }
    // Erased means gone from the key space, not only hidden by the API.
    try (RawDb raw = new RawDb(dir)) {
      assertEquals(1, raw.keys(Cf.LOG).size());
      assertEquals(1, raw.keys(Cf.CONVERSATIONS).size());
      assertEquals(2, raw.keys(Cf.MESSAGES).size(), "the kept message and the tombstone in its slot");
    }
  }

  @Test
  void appendAndTombstoneInOneBatchLeaveOnlyTheTombstone() throws Exception {
    Random random = new Random(12);
    ConversationId conversation = Fixtures.conversation(random);
    Rumor rumor = Fixtures.rumor(random, 20, "erased before it was ever visible");
    try (EncryptedStore store = EncryptedStore.create(dir, Fixtures.passphrase(), Fixtures.OPTIONS)) {
      store.createCircle(FRIENDS);
      CommitResult result =
          store.batch().appendMessage(FRIENDS, conversation, rumor).tombstone(FRIENDS, rumor.id(), 21).commit();
      assertEquals(List.of(new RumorRef(FRIENDS, rumor.id())), result.erased());
      assertTrue(store.isTombstoned(FRIENDS, rumor.id()));
      assertTrue(store.log(FRIENDS, 0, 10).isEmpty());
      assertTrue(store.messages(FRIENDS, conversation, Optional.empty(), 10).messages().isEmpty());
    }
    try (RawDb raw = new RawDb(dir)) {
      assertEquals(0, raw.keys(Cf.LOG).size());
      assertEquals(0, raw.keys(Cf.CONVERSATIONS).size());
      assertEquals(1, raw.keys(Cf.MESSAGES).size());
    }
  }

  @Test
  void tombstoneBeforeTheMessageArrivesStillWins() {
    Random random = new Random(7);
    ConversationId conversation = Fixtures.conversation(random);
    Rumor rumor = Fixtures.rumor(random, 10, "arrives after its deletion");
    try (EncryptedStore store = create()) {
      CommitResult result =
          store.batch().tombstone(FRIENDS, rumor.id(), 20).appendMessage(FRIENDS, conversation, rumor).commit();
      assertEquals(List.of(), result.erased());
      assertEquals(List.of(new RumorRef(FRIENDS, rumor.id())), result.rejectedTombstoned());
      assertTrue(store.message(FRIENDS, rumor.id()).isEmpty());
    }
  }

  @Test
  void expiredMessagesAreSweptAndStayDeleted() {
    Random random = new Random(8);
    ConversationId conversation = Fixtures.conversation(random);
    PublicKey author = Fixtures.pubkey(random);
    Rumor tagged = Fixtures.rumor(author, 100, "self-destructs", Tag.of("expiration", "150"));
    Rumor explicit = Fixtures.rumor(author, 101, "expires via the api");
    Rumor lasting = Fixtures.rumor(author, 102, "no expiration");
    Rumor malformed = Fixtures.rumor(author, 103, "bad tag", Tag.of("expiration", "soon"));
    try (EncryptedStore store = create()) {
      store.batch()
          .appendMessage(FRIENDS, conversation, tagged)
          .appendMessage(FRIENDS, conversation, explicit)
          .setExpiration(FRIENDS, explicit.id(), 170)
          .appendMessage(FRIENDS, conversation, lasting)
          .appendMessage(FRIENDS, conversation, malformed)
          .commit();
      assertEquals(List.of(), store.expired(149, 10));
      assertEquals(List.of(new Expiry(FRIENDS, tagged.id(), 150)), store.expired(150, 10));
      List<Expiry> swept = store.sweepExpired(200, 10);
      assertEquals(List.of(new Expiry(FRIENDS, tagged.id(), 150), new Expiry(FRIENDS, explicit.id(), 170)), swept);
      assertTrue(store.message(FRIENDS, tagged.id()).isEmpty());
      assertTrue(store.message(FRIENDS, explicit.id()).isEmpty());
      assertTrue(store.message(FRIENDS, lasting.id()).isPresent());
      assertTrue(store.message(FRIENDS, malformed.id()).isPresent());
      assertEquals(TombstoneReason.EXPIRED, store.tombstone(FRIENDS, tagged.id()).orElseThrow().reason());
      assertEquals(List.of(), store.expired(Long.MAX_VALUE, 10));
      assertEquals(1, store.batch().appendMessage(FRIENDS, conversation, tagged).commit().rejectedTombstoned().size());
    }
  }

  @Test
  void cursorsOnlyMoveForwardUntilReset() {
    String relay = "wss://relay.example.com";
    try (EncryptedStore store = create()) {
      store.batch().advanceCursor(FRIENDS, relay, new SyncCursor(500, 1)).commit();
      store.batch().advanceCursor(FRIENDS, relay, new SyncCursor(400, 2)).commit();
      assertEquals(Optional.of(new SyncCursor(500, 1)), store.cursor(FRIENDS, relay));
      store.batch()
          .advanceCursor(FRIENDS, relay, new SyncCursor(600, 3))
          .advanceCursor(FRIENDS, "wss://other.example", new SyncCursor(7, 3))
          .commit();
      assertEquals(Map.of(relay, new SyncCursor(600, 3), "wss://other.example", new SyncCursor(7, 3)), store.cursors(FRIENDS));
      assertEquals(Optional.empty(), store.cursor(WORK, relay), "circles never share cursors");
      store.batch().resetCursor(FRIENDS, relay).commit();
      assertEquals(Optional.empty(), store.cursor(FRIENDS, relay));
    }
  }

  @Test
  void outboxTracksEachCopyAndEachRelay() {
    Random random = new Random(9);
    PublicKey alice = Fixtures.pubkey(random);
    PublicKey bob = Fixtures.pubkey(random);
    Rumor rumor = Fixtures.rumor(alice, 1000, "outgoing");
    String relayA = "wss://a.example";
    String relayB = "wss://b.example";
    OutboxEntry entry =
        new OutboxEntry(
            FRIENDS,
            rumor.id(),
            1000,
            List.of(
                new OutboxCopy(bob, Fixtures.wrap(random, 990, bob), List.of(RelayAck.pending(relayA, 1000), RelayAck.pending(relayB, 1000))),
                new OutboxCopy(alice, Fixtures.wrap(random, 991, alice), List.of(RelayAck.pending(relayA, 1000)))));
    try (EncryptedStore store = create()) {
      store.batch().putOutbox(entry).appendMessage(FRIENDS, Fixtures.conversation(random), rumor).commit();
      assertEquals(Optional.of(entry), store.outboxEntry(FRIENDS, rumor.id()));
      store.batch()
          .updateAck(FRIENDS, rumor.id(), bob, new RelayAck(relayA, AckState.ACCEPTED, "", 1001))
          .updateAck(FRIENDS, rumor.id(), bob, new RelayAck(relayB, AckState.FAILED, "blocked: spam", 1002))
          .commit();
      OutboxEntry updated = store.outboxEntry(FRIENDS, rumor.id()).orElseThrow();
      assertTrue(updated.copyFor(bob).orElseThrow().isAccepted());
      assertEquals("blocked: spam", updated.copyFor(bob).orElseThrow().acks().get(1).reason());
      assertFalse(updated.isComplete(), "the self copy is not accepted yet");
      assertEquals(List.of(updated), store.pendingOutbox());
      store.batch().updateAck(FRIENDS, rumor.id(), alice, new RelayAck(relayA, AckState.ACCEPTED, "", 1003)).commit();
      assertTrue(store.outboxEntry(FRIENDS, rumor.id()).orElseThrow().isComplete());

      CommitResult removal =
          store.batch()
              .removeOutbox(FRIENDS, rumor.id())
              .updateAck(FRIENDS, rumor.id(), bob, new RelayAck(relayA, AckState.ACCEPTED, "", 1004))
              .commit();
      assertEquals(List.of(new RumorRef(FRIENDS, rumor.id())), removal.unknownOutbox());
      assertEquals(List.of(), store.pendingOutbox(FRIENDS));
    }
  }

  @Test
  void deviceStateDocumentsRoundTrip() {
    try (EncryptedStore store = create()) {
      byte[] markers = {1, 2, 3, 4};
      store.batch().putDeviceState("read-markers", markers).putDeviceState("mutes", new byte[0]).commit();
      assertArrayEquals(markers, store.deviceState("read-markers").orElseThrow());
      assertEquals(List.of("mutes", "read-markers"), store.deviceStateKeys());
      store.batch().deleteDeviceState("mutes").commit();
      assertEquals(List.of("read-markers"), store.deviceStateKeys());
      assertTrue(store.deviceState("mutes").isEmpty());
    }
    try (EncryptedStore store = reopen()) {
      assertArrayEquals(new byte[] {1, 2, 3, 4}, store.deviceState("read-markers").orElseThrow());
    }
  }

  @Test
  void valuesOnBothSidesOfTheDirectPutLimitRoundTripInOneBatch() {
    long seed = 21;
    Random random = new Random(seed);
    // Sealed sizes just under, at and over the limit of the direct-buffer path (key 16 bytes,
    // sealed value = plaintext + record framing + AEAD overhead), then small ones again.
    int[] sizes = {CommitContext.DIRECT_PUT_LIMIT - 200, CommitContext.DIRECT_PUT_LIMIT - 60, CommitContext.DIRECT_PUT_LIMIT, 300_000, 5, 0};
    byte[][] documents = new byte[sizes.length][];
    try (EncryptedStore store = create()) {
      StoreBatch batch = store.batch();
      for (int i = 0; i < sizes.length; i++) {
        documents[i] = new byte[sizes[i]];
        random.nextBytes(documents[i]);
        batch.putDeviceState("doc-" + i, documents[i]);
      }
      ConversationId conversation = Fixtures.conversation(random);
      Rumor rumor = Fixtures.rumor(random, 1, "after the large ones");
      batch.appendMessage(FRIENDS, conversation, rumor).commit();
      assertEquals(rumor, store.message(FRIENDS, rumor.id()).orElseThrow().rumor(), "seed " + seed);
    }
    try (EncryptedStore store = reopen()) {
      for (int i = 0; i < sizes.length; i++) {
        assertArrayEquals(documents[i], store.deviceState("doc-" + i).orElseThrow(), "seed " + seed + ", size " + sizes[i]);
      }
    }
  }

  @Test
  void sequenceNumbersKeepGrowingAcrossReopen() {
    Random random = new Random(10);
    ConversationId conversation = Fixtures.conversation(random);
    try (EncryptedStore store = create()) {
      store.batch().appendMessage(FRIENDS, conversation, Fixtures.rumor(random, 1, "a")).commit();
      store.batch().appendMessage(WORK, conversation, Fixtures.rumor(random, 1, "b")).commit();
    }
    try (EncryptedStore store = reopen()) {
      CommitResult result = store.batch().appendMessage(FRIENDS, conversation, Fixtures.rumor(random, 1, "c")).commit();
      assertEquals(3L, result.appended().get(0).seq());
      assertEquals(List.of(FRIENDS, WORK), store.circles());
    }
  }

  @Test
  void unknownCircleIsATypedError() {
    Random random = new Random(11);
    try (EncryptedStore store = create()) {
      CircleId stranger = CircleId.of("never-created");
      assertThrows(UnknownCircleException.class, () -> store.hasSeenEvent(stranger, Fixtures.wrap(random, 1, Fixtures.pubkey(random)).id()));
      assertThrows(UnknownCircleException.class, () -> store.batch().appendMessage(stranger, Fixtures.conversation(random), Fixtures.rumor(random, 1, "x")));
      StoreBatch pending = store.batch().appendMessage(WORK, Fixtures.conversation(random), Fixtures.rumor(random, 1, "x"));
      assertTrue(store.deleteCircle(WORK));
      assertThrows(UnknownCircleException.class, pending::commit);
      assertFalse(store.createCircle(FRIENDS), "creating twice is a no-op");
    }
  }

  @Test
  void closedStoreRefusesCallsAndCloseIsIdempotent() {
    EncryptedStore store = create();
    store.close();
    store.close();
    assertThrows(IllegalStateException.class, () -> store.circles());
    assertThrows(IllegalStateException.class, store::batch);
  }

  @Test
  void groupCommitWithPeriodicWalSyncKeepsCommitsAcrossReopen() {
    Random random = new Random(13);
    ConversationId conversation = Fixtures.conversation(random);
    StoreOptions options = Fixtures.OPTIONS.withSyncMode(SyncMode.GROUP_COMMIT).withGroupCommitInterval(java.time.Duration.ofMillis(5));
    List<Rumor> rumors = new ArrayList<>();
    try (EncryptedStore store = EncryptedStore.create(dir, Fixtures.passphrase(), options)) {
      assertEquals(SyncMode.GROUP_COMMIT, store.syncMode());
      store.createCircle(FRIENDS);
      for (int i = 0; i < 50; i++) {
        Rumor rumor = Fixtures.rumor(random, i, "group " + i);
        rumors.add(rumor);
        store.batch().appendMessage(FRIENDS, conversation, rumor).commit();
      }
      store.flushWal();
    }
    try (EncryptedStore store = EncryptedStore.open(dir, Fixtures.passphrase(), options)) {
      assertEquals(rumors, store.log(FRIENDS, 0, 100).stream().map(StoredMessage::rumor).toList());
    }
  }

  @Test
  void memoryStaysWithinTheConfiguredCache() {
    Random random = new Random(14);
    long cache = 4L << 20;
    StoreOptions small = Fixtures.OPTIONS.withMemory(cache, 2L << 20);
    ConversationId conversation = Fixtures.conversation(random);
    try (EncryptedStore store = EncryptedStore.create(dir, Fixtures.passphrase(), small)) {
      store.createCircle(FRIENDS);
      String filler = Fixtures.text(random, 2000);
      long peak = 0;
      for (int b = 0; b < 40; b++) { // about 16 MB of messages: four times the cache
        StoreBatch batch = store.batch();
        for (int i = 0; i < 200; i++) {
          batch.appendMessage(FRIENDS, conversation, Fixtures.rumor(random, b * 1000L + i, filler + i));
        }
        batch.commit();
        store.messagesBefore(FRIENDS, conversation, Optional.empty(), 50);
        peak = Math.max(peak, store.blockCacheUsage());
      }
      // The LRU cache may overshoot by the entries pinned at the moment of insertion.
      assertTrue(peak <= cache + cache / 4, "peak cache usage " + peak + " for a " + cache + "-byte cache (seed 14)");
      assertEquals(8000, store.log(FRIENDS, 0, Integer.MAX_VALUE).size());
    }
  }

  @Test
  void eventIdsAreRecordedIdempotently() {
    Random random = new Random(12);
    NostrEvent wrap = Fixtures.wrap(random, 77, Fixtures.pubkey(random));
    try (EncryptedStore store = create()) {
      store.batch().recordEvent(FRIENDS, wrap).commit();
      store.batch().recordEvent(FRIENDS, wrap.id(), wrap.createdAt()).commit();
      assertEquals(List.of(new NegentropyItem(77, wrap.id())), store.negentropyItems(FRIENDS, 0, 100));
      assertFalse(store.hasSeenEvent(FRIENDS, new EventId(new byte[32])));
    }
  }
}
