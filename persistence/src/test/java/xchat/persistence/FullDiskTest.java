package xchat.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;
import xchat.persistence.log.ConversationId;
import xchat.protocol.event.Rumor;

/**
 * A real full disk: the store lives on a small tmpfs and is filled until a write fails. Mounting
 * needs root (CI runs as root); elsewhere the test is skipped and says why.
 */
class FullDiskTest {
  private static final CircleId CIRCLE = CircleId.of("full");
  private static final int PER_BATCH = 40;
  /** Far more than the filesystem holds, so the loop ends by the disk filling, not by this. */
  private static final int MAX_BATCHES = 20_000;

  @TempDir Path parent;
  private Path mount;
  private boolean mounted;

  @BeforeEach
  void mountASmallFilesystem() throws Exception {
    mount = Files.createDirectory(parent.resolve("disk"));
    Assumptions.assumeTrue(System.getProperty("os.name").startsWith("Linux"), "tmpfs is Linux's");
    String failure = run("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", mount.toString());
    Assumptions.assumeTrue(failure == null, () -> "cannot mount a 48 MB tmpfs (needs root): " + failure);
    mounted = true;
  }

  @AfterEach
  void unmount() throws Exception {
    if (mounted) {
      String failure = run("umount", "-l", mount.toString());
      assertEquals(null, failure, "unmounting the test's tmpfs");
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
    StorageFullException full = null;
    int acknowledgedAfterFull = 0;
    int refusedAfterFull = 0;
    EncryptedStore store = EncryptedStore.create(dir, Fixtures.passphrase(), Fixtures.OPTIONS.withSyncMode(mode));
    try {
      store.createCircle(CIRCLE);
      for (int b = 0; b < MAX_BATCHES && full == null; b++) {
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
          full = e;
          refused.addAll(rumors);
        }
      }
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
        }
      }
    } finally {
      try {
        store.close();
      } catch (StoreException e) {
        // A WAL writer that failed keeps its error, so the last flush is refused; the store is
        // released all the same.
        assertFalse(e.getMessage().contains("after the disk filled"), "no plaintext in the error");
      }
    }
    System.out.println(mode + ", after the disk filled: " + acknowledgedAfterFull + " acknowledged, " + refusedAfterFull
        + " refused");

    // Room again, as when the user frees space: every acknowledged batch is there and intact, and
    // the refused batch is there entirely or not at all.
    assertEquals(null, run("mount", "-o", "remount,size=256m", mount.toString()), "growing the tmpfs");
    try (EncryptedStore reopened = EncryptedStore.open(dir, Fixtures.passphrase(), Fixtures.OPTIONS)) {
      for (Rumor rumor : acknowledged) {
        assertEquals(Optional.of(rumor), reopened.message(CIRCLE, rumor.id()).map(m -> m.rumor()),
            "an acknowledged message after the disk filled (seed " + seed + ")");
      }
      long present = refused.stream().filter(r -> reopened.message(CIRCLE, r.id()).isPresent()).count();
      assertTrue(present == 0 || present == refused.size(),
          present + " of the " + refused.size() + " messages of the refused batch survived (seed " + seed + ")");
      StoreBatch resumed = reopened.batch()
          .appendMessage(CIRCLE, conversation, Fixtures.rumor(random, 1_800_000_001L, "space again"));
      assertEquals(1, resumed.commit().appended().size(), "writes resume once there is room");
    }
  }

  /** Runs a command; null when it succeeded, else what it printed. */
  private static String run(String... command) throws IOException, InterruptedException {
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      return e.getMessage();
    }
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return String.join(" ", command) + " did not finish";
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    return process.exitValue() == 0 ? null : "exit " + process.exitValue() + ": " + output;
  }
}
