package xchat.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;
import xchat.persistence.log.ConversationId;
import xchat.protocol.event.Rumor;

class CorruptionTest {
  private static final CircleId CIRCLE = CircleId.of("circle");

  @TempDir Path dir;

  /** Two messages in one conversation; returns them oldest first. */
  private List<Rumor> populate(long seed) {
    Random random = new Random(seed);
    ConversationId conversation = Fixtures.conversation(random);
    List<Rumor> rumors = List.of(Fixtures.rumor(random, 1, "first"), Fixtures.rumor(random, 2, "second"));
    try (EncryptedStore store = EncryptedStore.create(dir, Fixtures.passphrase(), Fixtures.OPTIONS)) {
      store.createCircle(CIRCLE);
      StoreBatch batch = store.batch();
      rumors.forEach(rumor -> batch.appendMessage(CIRCLE, conversation, rumor));
      batch.commit();
      store.batch().putDeviceState("doc", new byte[] {9}).commit();
    }
    return rumors;
  }

  /** Flips one random bit after the version byte of the family's first stored value. */
  private void flipOneBitOfTheFirstValue(Cf family, Random random) throws Exception {
    try (RawDb raw = new RawDb(dir)) {
      byte[] key = raw.keys(family).get(0);
      byte[] value = raw.get(family, key);
      int position = 1 + random.nextInt(value.length - 1);
      value[position] ^= (byte) (1 << random.nextInt(8));
      raw.put(family, key, value);
    }
  }

  private EncryptedStore open() {
    return EncryptedStore.open(dir, Fixtures.passphrase(), Fixtures.OPTIONS);
  }

  @Test
  void flippedByteInAStoredValueIsAnIntegrityErrorNamingTheColumnFamily() throws Exception {
    long seed = 31;
    List<Rumor> rumors = populate(seed);
    Random random = new Random(seed);
    // The sealed message itself lives in the log under its seq.
    flipOneBitOfTheFirstValue(Cf.LOG, random);
    try (EncryptedStore store = open()) {
      List<IntegrityException> errors = new ArrayList<>();
      int readable = 0;
      for (Rumor rumor : rumors) {
        try {
          assertEquals(rumor, store.message(CIRCLE, rumor.id()).orElseThrow().rumor());
          readable++;
        } catch (IntegrityException e) {
          errors.add(e);
        }
      }
      assertEquals(1, errors.size(), "seed " + seed);
      assertEquals(1, readable, "the other message is untouched and still reads (seed " + seed + ")");
      assertEquals("log", errors.get(0).columnFamily());
      assertFalse(errors.get(0).getMessage().contains("first"), "no plaintext in the message");
      assertEquals("log",
          assertThrows(IntegrityException.class, () -> store.log(CIRCLE, 0, 10), "every path to the value checks it (seed " + seed + ")")
              .columnFamily());
      ConversationId conversation = Fixtures.conversation(new Random(seed));
      assertEquals("log",
          assertThrows(IntegrityException.class, () -> store.messages(CIRCLE, conversation, Optional.empty(), 10),
              "every path to the value checks it (seed " + seed + ")").columnFamily());
    }
  }

  @Test
  void flippedByteInALiveSlotIsAnIntegrityErrorOfTheMessagesFamily() throws Exception {
    long seed = 35;
    List<Rumor> rumors = populate(seed);
    Random random = new Random(seed);
    flipOneBitOfTheFirstValue(Cf.MESSAGES, random);
    try (EncryptedStore store = open()) {
      List<String> families = new ArrayList<>();
      for (Rumor rumor : rumors) {
        try {
          store.message(CIRCLE, rumor.id());
        } catch (IntegrityException e) {
          families.add(e.columnFamily());
        }
      }
      assertEquals(List.of("messages"), families, "seed " + seed);
      assertEquals(List.of("messages"), commitFailures(store, rumors),
          "an append or tombstone meets the damaged slot and fails loudly (seed " + seed + ")");
    }
  }

  // Each rumor's duplicate append and its tombstone, in a batch of its own.
  private static List<String> commitFailures(EncryptedStore store, List<Rumor> rumors) {
    List<String> families = new ArrayList<>();
    ConversationId conversation = Fixtures.conversation(new Random(0));
    for (Rumor rumor : rumors) {
      try {
        store.batch().appendMessage(CIRCLE, conversation, rumor).tombstone(CIRCLE, rumor.id(), 9).commit();
      } catch (IntegrityException e) {
        families.add(e.columnFamily());
      }
    }
    return families;
  }

  @Test
  void flippedByteInEveryKindOfValueIsDetected() throws Exception {
    List<Rumor> rumors = populate(32);
    byte[] tombstoneKey;
    try (EncryptedStore store = open()) {
      store.batch()
          .tombstone(CIRCLE, rumors.get(0).id(), 5)
          .advanceCursor(CIRCLE, "wss://r.example", new xchat.persistence.cursor.SyncCursor(1, 1))
          .commit();
      tombstoneKey = store.circle(CIRCLE).rumorKey(rumors.get(0).id());
    }
    try (RawDb raw = new RawDb(dir)) {
      for (Cf cf : List.of(Cf.DEVICE_STATE, Cf.CURSORS)) {
        byte[] key = raw.keys(cf).get(0);
        byte[] value = raw.get(cf, key);
        value[value.length - 1] ^= 0x01;
        raw.put(cf, key, value);
      }
      byte[] value = raw.get(Cf.MESSAGES, tombstoneKey);
      value[value.length / 2] ^= 0x10;
      raw.put(Cf.MESSAGES, tombstoneKey, value);
    }
    ConversationId conversation = Fixtures.conversation(new Random(32));
    try (EncryptedStore store = open()) {
      assertEquals("device_state",
          assertThrows(IntegrityException.class, () -> store.deviceState("doc")).columnFamily());
      assertEquals("cursors",
          assertThrows(IntegrityException.class, () -> store.cursor(CIRCLE, "wss://r.example")).columnFamily());
      assertEquals("messages",
          assertThrows(IntegrityException.class, () -> store.isTombstoned(CIRCLE, rumors.get(0).id())).columnFamily());
      assertEquals("messages",
          assertThrows(IntegrityException.class,
              () -> store.batch().appendMessage(CIRCLE, conversation, rumors.get(0)).commit()).columnFamily(),
          "a late copy meets the damaged tombstone and fails loudly, it is not stored");
      assertEquals(List.of(rumors.get(1)),
          store.messages(CIRCLE, conversation, Optional.empty(), 10).messages().stream().map(m -> m.rumor()).toList(),
          "untampered data still reads");
    }
  }

  @Test
  void valueMovedToAnotherKeyFailsAuthentication() throws Exception {
    List<Rumor> rumors = populate(33);
    try (RawDb raw = new RawDb(dir)) {
      List<byte[]> keys = raw.keys(Cf.MESSAGES);
      // Swap the two sealed messages: each is intact, but bound to the other key.
      byte[] first = raw.get(Cf.MESSAGES, keys.get(0));
      byte[] second = raw.get(Cf.MESSAGES, keys.get(1));
      raw.put(Cf.MESSAGES, keys.get(0), second);
      raw.put(Cf.MESSAGES, keys.get(1), first);
    }
    try (EncryptedStore store = open()) {
      for (Rumor rumor : rumors) {
        assertEquals("messages", assertThrows(IntegrityException.class, () -> store.message(CIRCLE, rumor.id())).columnFamily());
      }
    }
  }

  @Test
  void logValueMovedToAnotherSeqFailsAuthentication() throws Exception {
    List<Rumor> rumors = populate(36);
    try (RawDb raw = new RawDb(dir)) {
      List<byte[]> keys = raw.keys(Cf.LOG);
      // Swap the two sealed messages: each is intact, but bound to the other seq.
      byte[] first = raw.get(Cf.LOG, keys.get(0));
      byte[] second = raw.get(Cf.LOG, keys.get(1));
      raw.put(Cf.LOG, keys.get(0), second);
      raw.put(Cf.LOG, keys.get(1), first);
    }
    try (EncryptedStore store = open()) {
      for (Rumor rumor : rumors) {
        assertEquals("log", assertThrows(IntegrityException.class, () -> store.message(CIRCLE, rumor.id())).columnFamily());
      }
      assertEquals("log", assertThrows(IntegrityException.class, () -> store.log(CIRCLE, 0, 10)).columnFamily());
    }
  }

  @Test
  void valueMovedToAnotherColumnFamilyFailsAuthentication() throws Exception {
    List<Rumor> rumors = populate(34);
    try (RawDb raw = new RawDb(dir)) {
      // An outbox entry's key has the same shape as a message's: copy the sealed message there.
      byte[] key = raw.keys(Cf.MESSAGES).get(0);
      raw.put(Cf.OUTBOX, key, raw.get(Cf.MESSAGES, key));
    }
    try (EncryptedStore store = open()) {
      List<String> families = new ArrayList<>();
      for (Rumor rumor : rumors) {
        try {
          store.outboxEntry(CIRCLE, rumor.id());
        } catch (IntegrityException e) {
          families.add(e.columnFamily());
        }
      }
      assertEquals(List.of("outbox"), families);
    }
  }

  @Test
  void indexKeyMovedToAnotherConversationIsDetected() throws Exception {
    Random random = new Random(40);
    ConversationId first = Fixtures.conversation(random);
    ConversationId second = Fixtures.conversation(random);
    Rumor rumor = Fixtures.rumor(random, 7, "belongs to the first conversation");
    try (EncryptedStore store = EncryptedStore.create(dir, Fixtures.passphrase(), Fixtures.OPTIONS)) {
      store.createCircle(CIRCLE);
      store.batch()
          .appendMessage(CIRCLE, first, rumor)
          .appendMessage(CIRCLE, second, Fixtures.rumor(random, 8, "second conversation"))
          .commit();
    }
    try (RawDb raw = new RawDb(dir)) {
      List<byte[]> keys = raw.keys(Cf.CONVERSATIONS);
      // Graft the entry of one conversation onto the other's range.
      byte[] moved = keys.get(0).clone();
      System.arraycopy(keys.get(1), 0, moved, 0, Keys.PREFIX + 16);
      raw.delete(Cf.CONVERSATIONS, keys.get(0));
      raw.put(Cf.CONVERSATIONS, moved, new byte[0]);
    }
    try (EncryptedStore store = open()) {
      int failures = 0;
      for (ConversationId conversation : List.of(first, second)) {
        try {
          store.messages(CIRCLE, conversation, Optional.empty(), 10);
        } catch (IntegrityException e) {
          assertEquals("conversations", e.columnFamily());
          failures++;
        }
      }
      assertEquals(1, failures, "the conversation that received a foreign entry fails");
    }
  }

  @Test
  void garbledLogKeyIsDetected() throws Exception {
    populate(41);
    try (RawDb raw = new RawDb(dir)) {
      byte[] key = raw.keys(Cf.LOG).get(0);
      byte[] value = raw.get(Cf.LOG, key);
      byte[] garbled = key.clone();
      garbled[7] ^= 0x40; // inside the seq: the value is bound to the old one
      raw.delete(Cf.LOG, key);
      raw.put(Cf.LOG, garbled, value);
    }
    try (EncryptedStore store = open()) {
      assertEquals("log", assertThrows(IntegrityException.class, () -> store.log(CIRCLE, 0, 10)).columnFamily());
    }
  }

  @Test
  void garbledConversationKeyIsDetected() throws Exception {
    // Once inside E(rumor id) (decrypts to an id the message does not have), once inside the seq
    // (points at no message, or at another rumor's).
    int[][] flips = {{Circle.CONVERSATION_KEY - 8 - 1, 0x40}, {Circle.CONVERSATION_KEY - 1, 0x40}, {Circle.CONVERSATION_KEY - 1, 0x03}};
    for (int[] flip : flips) {
      int offset = flip[0];
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).filter(p -> !p.equals(dir)).forEach(p -> p.toFile().delete());
      }
      populate(42);
      try (RawDb raw = new RawDb(dir)) {
        byte[] key = raw.keys(Cf.CONVERSATIONS).get(0);
        byte[] garbled = key.clone();
        garbled[offset] ^= (byte) flip[1];
        raw.delete(Cf.CONVERSATIONS, key);
        raw.put(Cf.CONVERSATIONS, garbled, new byte[0]);
      }
      ConversationId conversation = Fixtures.conversation(new Random(42));
      try (EncryptedStore store = open()) {
        assertEquals("conversations",
            assertThrows(IntegrityException.class, () -> store.messages(CIRCLE, conversation, Optional.empty(), 10),
                "garbled byte " + offset + " with " + flip[1]).columnFamily());
      }
    }
  }

  @Test
  void missingDirectoryIsStoreNotFound() {
    StoreNotFoundException error =
        assertThrows(StoreNotFoundException.class, () -> EncryptedStore.open(dir.resolve("nope"), Fixtures.passphrase(), Fixtures.OPTIONS));
    assertTrue(error.getMessage().contains("does not exist"), error.getMessage());
  }

  @Test
  void emptyDirectoryIsStoreNotFound() {
    StoreNotFoundException error =
        assertThrows(StoreNotFoundException.class, () -> EncryptedStore.open(dir, Fixtures.passphrase(), Fixtures.OPTIONS));
    assertTrue(error.getMessage().contains("empty"), error.getMessage());
  }

  @Test
  void fileInsteadOfDirectoryIsStoreNotFound() throws Exception {
    Path file = Files.writeString(dir.resolve("store"), "hello");
    assertThrows(StoreNotFoundException.class, () -> EncryptedStore.open(file, Fixtures.passphrase(), Fixtures.OPTIONS));
  }

  @Test
  void directoryOfOtherFilesIsReportedWithWhatWasFound() throws Exception {
    Files.writeString(dir.resolve("notes.txt"), "not a database");
    StoreCorruptedException error =
        assertThrows(StoreCorruptedException.class, () -> EncryptedStore.open(dir, Fixtures.passphrase(), Fixtures.OPTIONS));
    assertTrue(error.getMessage().contains("no CURRENT file"), error.getMessage());
    assertTrue(error.getMessage().contains("notes.txt"), error.getMessage());
  }

  @Test
  void missingManifestIsStoreCorrupted() throws Exception {
    populate(35);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path manifest : files.filter(p -> p.getFileName().toString().startsWith("MANIFEST-")).toList()) {
        Files.delete(manifest);
      }
    }
    StoreCorruptedException error =
        assertThrows(StoreCorruptedException.class, () -> EncryptedStore.open(dir, Fixtures.passphrase(), Fixtures.OPTIONS));
    assertTrue(error.getMessage().contains("MANIFEST"), error.getMessage());
  }

  @Test
  void garbledManifestIsStoreCorrupted() throws Exception {
    populate(36);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path manifest : files.filter(p -> p.getFileName().toString().startsWith("MANIFEST-")).toList()) {
        byte[] bytes = Files.readAllBytes(manifest);
        for (int i = 0; i < bytes.length; i += 7) {
          bytes[i] ^= 0x5a;
        }
        Files.write(manifest, bytes);
      }
    }
    assertThrows(StoreCorruptedException.class, () -> EncryptedStore.open(dir, Fixtures.passphrase(), Fixtures.OPTIONS));
  }

  @Test
  void foreignRocksDbWithoutOurColumnFamiliesIsStoreCorrupted() throws Exception {
    try (DBOptions options = new DBOptions().setCreateIfMissing(true)) {
      List<ColumnFamilyHandle> handles = new ArrayList<>();
      try (RocksDB db = RocksDB.open(options, dir.toString(),
          List.of(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY)), handles)) {
        db.put("key".getBytes(), "value".getBytes());
        handles.forEach(ColumnFamilyHandle::close);
      }
    }
    StoreCorruptedException error =
        assertThrows(StoreCorruptedException.class, () -> EncryptedStore.open(dir, Fixtures.passphrase(), Fixtures.OPTIONS));
    assertTrue(error.getMessage().contains("lacks column families"), error.getMessage());
  }

  @Test
  void missingKeyringIsStoreCorrupted() throws Exception {
    populate(37);
    try (RawDb raw = new RawDb(dir)) {
      raw.delete(Cf.META, Keys.META_KEYRING);
    }
    StoreCorruptedException error =
        assertThrows(StoreCorruptedException.class, () -> EncryptedStore.open(dir, Fixtures.passphrase(), Fixtures.OPTIONS));
    assertTrue(error.getMessage().contains("no keyring record"), error.getMessage());
  }

  @Test
  void createRefusesAnExistingStoreOrANonEmptyDirectory() throws Exception {
    populate(38);
    assertThrows(StoreAlreadyExistsException.class, () -> EncryptedStore.create(dir, Fixtures.passphrase(), Fixtures.OPTIONS));
    Path other = Files.createDirectory(dir.resolve("other"));
    Files.writeString(other.resolve("x"), "x");
    assertThrows(StoreAlreadyExistsException.class, () -> EncryptedStore.create(other, Fixtures.passphrase(), Fixtures.OPTIONS));
  }

  @Test
  void secondOpenOfTheSameStoreIsLocked() {
    populate(39);
    try (EncryptedStore store = open()) {
      assertThrows(StoreLockedException.class, this::open);
      assertTrue(store.circles().contains(CIRCLE), "the first handle is unaffected");
    }
  }

  @Test
  void noSpaceStatusMapsToStorageFull() {
    RocksDBException noSpace =
        new RocksDBException("IO error: No space left on device: While appending to file: 000012.log",
            new Status(Status.Code.IOError, Status.SubCode.NoSpace, "No space left on device"));
    assertTrue(StoreErrors.translate(noSpace, "committing a batch") instanceof StorageFullException);
    RocksDBException byMessage = new RocksDBException("IO error: No space left on device");
    assertTrue(StoreErrors.translate(byMessage, "flushing") instanceof StorageFullException);
    RocksDBException corruption =
        new RocksDBException("Corruption: block checksum mismatch",
            new Status(Status.Code.Corruption, Status.SubCode.None, "block checksum mismatch"));
    assertTrue(StoreErrors.translate(corruption, "reading") instanceof StoreCorruptedException);
    RocksDBException other =
        new RocksDBException("IO error: Permission denied",
            new Status(Status.Code.IOError, Status.SubCode.None, "Permission denied"));
    StoreException generic = StoreErrors.translate(other, "reading");
    assertTrue(generic instanceof StorageException);
    assertTrue(generic.getMessage().contains("Permission denied"), generic.getMessage());
  }
}
