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

  private EncryptedStore open() {
    return EncryptedStore.open(dir, Fixtures.passphrase(), Fixtures.OPTIONS);
  }

  @Test
  void flippedByteInAStoredValueIsAnIntegrityErrorNamingTheColumnFamily() throws Exception {
    long seed = 31;
    List<Rumor> rumors = populate(seed);
    Random random = new Random(seed);
    try (RawDb raw = new RawDb(dir)) {
      byte[] key = raw.keys(Cf.LOG).get(0);
      byte[] value = raw.get(Cf.LOG, key);
      int position = 1 + random.nextInt(value.length - 1);
      value[position] ^= (byte) (1 << random.nextInt(8));
      raw.put(Cf.LOG, key, value);
    }
    try (EncryptedStore store = open()) {
      IntegrityException error =
          assertThrows(IntegrityException.class, () -> store.message(CIRCLE, rumors.get(0).id()), "seed " + seed);
      assertEquals("log", error.columnFamily());
      assertFalse(error.getMessage().contains("first"), "no plaintext in the message");
      // The other record is untouched and still reads.
      assertEquals(rumors.get(1), store.message(CIRCLE, rumors.get(1).id()).orElseThrow().rumor());
    }
  }

  @Test
  void flippedByteInEveryKindOfValueIsDetected() throws Exception {
    populate(32);
    try (RawDb raw = new RawDb(dir)) {
      for (Cf cf : List.of(Cf.RUMORS, Cf.CONVERSATIONS, Cf.DEVICE_STATE)) {
        byte[] key = raw.keys(cf).get(0);
        byte[] value = raw.get(cf, key);
        value[value.length - 1] ^= 0x01;
        raw.put(cf, key, value);
      }
    }
    Random random = new Random(32);
    ConversationId conversation = Fixtures.conversation(random);
    try (EncryptedStore store = open()) {
      assertEquals("device_state",
          assertThrows(IntegrityException.class, () -> store.deviceState("doc")).columnFamily());
      assertEquals("conversations",
          assertThrows(IntegrityException.class, () -> store.messages(CIRCLE, conversation, Optional.empty(), 10)).columnFamily());
      List<String> families = new ArrayList<>();
      for (Rumor rumor : List.of(Fixtures.rumor(random, 1, "first"), Fixtures.rumor(random, 2, "second"))) {
        try {
          store.message(CIRCLE, rumor.id());
        } catch (IntegrityException e) {
          families.add(e.columnFamily());
        }
      }
      assertEquals(List.of("rumors"), families, "exactly the tampered rumor entry fails");
    }
  }

  @Test
  void valueMovedToAnotherKeyFailsAuthentication() throws Exception {
    List<Rumor> rumors = populate(33);
    try (RawDb raw = new RawDb(dir)) {
      List<byte[]> keys = raw.keys(Cf.LOG);
      // Swap the two sealed messages: each is intact, but bound to the other key.
      byte[] first = raw.get(Cf.LOG, keys.get(0));
      byte[] second = raw.get(Cf.LOG, keys.get(1));
      raw.put(Cf.LOG, keys.get(0), second);
      raw.put(Cf.LOG, keys.get(1), first);
    }
    try (EncryptedStore store = open()) {
      for (Rumor rumor : rumors) {
        assertEquals("log", assertThrows(IntegrityException.class, () -> store.message(CIRCLE, rumor.id())).columnFamily());
      }
    }
  }

  @Test
  void valueMovedToAnotherColumnFamilyFailsAuthentication() throws Exception {
    List<Rumor> rumors = populate(34);
    try (RawDb raw = new RawDb(dir)) {
      // A tombstone-shaped key with the rumor entry's value: same key bytes, other family.
      byte[] key = raw.keys(Cf.RUMORS).get(0);
      raw.put(Cf.TOMBSTONES, key, raw.get(Cf.RUMORS, key));
    }
    try (EncryptedStore store = open()) {
      List<String> families = new ArrayList<>();
      for (Rumor rumor : rumors) {
        try {
          store.tombstone(CIRCLE, rumor.id());
        } catch (IntegrityException e) {
          families.add(e.columnFamily());
        }
      }
      assertEquals(List.of("tombstones"), families);
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
