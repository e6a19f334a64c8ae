package xchat.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import xchat.persistence.log.ConversationId;
import xchat.protocol.event.Rumor;
import xchat.testkit.Tmpfs;

/**
 * A real full disk: the store lives on a small tmpfs and is filled until a write fails, then the
 * tmpfs grows and writes resume on the same handle. Mounting
 * needs root (CI runs as root); elsewhere the test is skipped and says why.
 */
class FullDiskTest {
  private static final CircleId CIRCLE = CircleId.of("full");
  private static final int PER_BATCH = 40;
  /** Far more than the filesystem holds, so the loop ends by the disk filling, not by this. */
  private static final int MAX_BATCHES = 20_000;

  @TempDir Path parent;
  private Tmpfs disk;
  private Path mount;

  @BeforeEach
  void mountASmallFilesystem() throws Exception {
    disk = Tmpfs.mountOrSkip(Files.createDirectory(parent.resolve("disk")), "48m");
    mount = disk.path();
  }

  @AfterEach
  void unmount() {
    if (disk != null) {
      disk.close();
    }
  }

  @ParameterizedTest
  @EnumSource(SyncMode.class)
  void aFullDiskIsATypedErrorAndLosesNoAcknowledgedBatch(SyncMode mode) throws Exception {
    long seed = 71;
    Random random = new Random(seed);
    Path dir = mount.resolve("store");
    ConversationId conversation = Fixtures.conversation(random);
    List<Rumor> acknowledged = new ArrayList<>();
    List<Rumor> refused = new ArrayList<>();
    int acknowledgedAfterFull = 0;
    int refusedAfterFull = 0;
    EncryptedStore store = EncryptedStore.create(dir, Fixtures.passphrase(), Fixtures.OPTIONS.withSyncMode(mode));
    try {
      StorageFullException full = fill(store, conversation, random, acknowledged, refused);
      assertTrue(full != null, "the disk never filled (seed " + seed + ")");
      assertTrue(acknowledged.size() > 1_000, "the disk filled before much was written: " + acknowledged.size());
      assertTrue(full.getMessage().contains("disk is full"), full.getMessage());
      assertFalse(full.getMessage().contains(refused.get(0).event().content()), "no plaintext in the error");

      // The store stays usable for reads. Later writes are refused with a typed error, or, if
      // RocksDB still takes them, they are acknowledged and must be kept like any other.
      Rumor last = acknowledged.get(acknowledged.size() - 1);
      assertEquals(last, store.message(CIRCLE, last.id()).orElseThrow().rumor());
      for (int i = 0; i < 20; i++) {
        Rumor small = Fixtures.rumor(random, 1_800_000_000L + i, "after the disk filled " + i);
        try {
          store.batch().appendMessage(CIRCLE, conversation, small).commit();
          acknowledged.add(small);
          acknowledgedAfterFull++;
        } catch (StoreException e) {
          refusedAfterFull++;
          assertFalse(e.getMessage().contains("after the disk filled"), "no plaintext in the error");
          assertInstanceOf(StorageFullException.class, e, e.getMessage());
        }
      }
      assertEquals(last, store.message(CIRCLE, last.id()).orElseThrow().rumor(), "reads work while the disk is full");

      // Room again, as when the user frees space: writes resume on the same handle, without a restart.
      disk.resize("256m");
      Rumor resumed = Fixtures.rumor(random, 1_800_000_100L, "space again");
      assertEquals(1, store.batch().appendMessage(CIRCLE, conversation, resumed).commit().appended().size(),
          "writes resume once there is room (seed " + seed + ")");
      acknowledged.add(resumed);
      assertKept(store, acknowledged, refused, seed);
    } finally {
      store.close();
    }
    System.out.println(mode + ", after the disk filled: " + acknowledgedAfterFull + " acknowledged, " + refusedAfterFull
        + " refused");

    // And on disk: every acknowledged batch is there and intact, the refused batch entirely or not at all.
    try (EncryptedStore reopened = EncryptedStore.open(dir, Fixtures.passphrase(), Fixtures.OPTIONS)) {
      assertKept(reopened, acknowledged, refused, seed);
      assertEquals(1, reopened.batch()
          .appendMessage(CIRCLE, conversation, Fixtures.rumor(random, 1_800_000_101L, "after a restart"))
          .commit().appended().size());
    }
  }

  /** Appends batches until the disk is full; returns that error. */
  private static StorageFullException fill(
      EncryptedStore store, ConversationId conversation, Random random, List<Rumor> acknowledged, List<Rumor> refused) {
    store.createCircle(CIRCLE);
    for (int b = 0; b < MAX_BATCHES; b++) {
      List<Rumor> rumors = new ArrayList<>();
      for (int i = 0; i < PER_BATCH; i++) {
        rumors.add(Fixtures.rumor(random, 1_700_000_000L + b, Fixtures.text(random, 1_000)));
      }
      StoreBatch batch = store.batch();
      rumors.forEach(rumor -> batch.appendMessage(CIRCLE, conversation, rumor));
      try {
        batch.commit();
        acknowledged.addAll(rumors);
      } catch (StorageFullException e) {
        refused.addAll(rumors);
        return e;
      }
    }
    return null;
  }

  /**
   * Writes stopped by a full disk, then a reopen that fails (here because CURRENT has gone
   * missing): calls get a typed error and retry the reopen, and once it can succeed the same
   * handle reads and writes, with nothing acknowledged lost.
   */
  @Test
  void aFailedReopenIsRetriedByTheNextCall() throws Exception {
    long seed = 72;
    Random random = new Random(seed);
    ConversationId conversation = Fixtures.conversation(random);
    List<Rumor> acknowledged = new ArrayList<>();
    List<Rumor> refused = new ArrayList<>();
    Path dir = mount.resolve("store");
    try (EncryptedStore store = EncryptedStore.create(dir, Fixtures.passphrase(), Fixtures.OPTIONS)) {
      assertTrue(fill(store, conversation, random, acknowledged, refused) != null, "the disk never filled (seed " + seed + ")");
      disk.resize("256m");
      Path current = dir.resolve("CURRENT");
      Path aside = mount.resolve("CURRENT.aside");
      Files.move(current, aside);

      Rumor blocked = Fixtures.rumor(random, 1_800_000_000L, "while it cannot reopen");
      StoreException reopenFailed = assertThrows(StoreException.class,
          () -> store.batch().appendMessage(CIRCLE, conversation, blocked).commit());
      assertTrue(reopenFailed.getMessage().contains("reopening the store"), reopenFailed.getMessage());
      assertFalse(reopenFailed.getMessage().contains("while it cannot reopen"), "no plaintext in the error");
      Rumor last = acknowledged.get(acknowledged.size() - 1);
      StoreException readFailed = assertThrows(StoreException.class, () -> store.message(CIRCLE, last.id()));
      assertTrue(readFailed.getMessage().contains("reopening the store"), readFailed.getMessage());

      Files.move(aside, current);
      assertEquals(Optional.of(last), store.message(CIRCLE, last.id()).map(m -> m.rumor()), "a read reattaches");
      Rumor resumed = Fixtures.rumor(random, 1_800_000_001L, "open again");
      assertEquals(1, store.batch().appendMessage(CIRCLE, conversation, resumed).commit().appended().size());
      acknowledged.add(resumed);
      assertKept(store, acknowledged, refused, seed);
    }
  }

  private static void assertKept(EncryptedStore store, List<Rumor> acknowledged, List<Rumor> refused, long seed) {
    for (Rumor rumor : acknowledged) {
      assertEquals(Optional.of(rumor), store.message(CIRCLE, rumor.id()).map(m -> m.rumor()),
          "an acknowledged message after the disk filled (seed " + seed + ")");
    }
    long present = refused.stream().filter(r -> store.message(CIRCLE, r.id()).isPresent()).count();
    assertTrue(present == 0 || present == refused.size(),
        present + " of the " + refused.size() + " messages of the refused batch survived (seed " + seed + ")");
  }
}
