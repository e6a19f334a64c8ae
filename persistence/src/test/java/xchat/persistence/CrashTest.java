package xchat.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.RocksDB;
import org.rocksdb.util.Environment;
import xchat.persistence.log.StoredMessage;
import xchat.protocol.event.Rumor;

/**
 * Kills a writer process with SIGKILL at seeded random moments and checks after each kill that
 * every acknowledged batch is present and intact and that no batch is partly visible.
 * Override the seed with {@code -Dcrash.seed=N}, the round count with {@code -Dcrash.rounds=N}.
 */
class CrashTest {
  @TempDir Path dir;

  @Test
  void everyAcknowledgedBatchSurvivesSigkillAndNoBatchIsPartial() throws Exception {
    long seed = Long.getLong("crash.seed", 20_240_611L);
    int rounds = Integer.getInteger("crash.rounds", 32);
    Random random = new Random(seed);
    Path store = dir.resolve("store");
    Path natives = extractRocksDbLibrary(dir.resolve("native"));
    try (EncryptedStore created = EncryptedStore.create(store, Fixtures.passphrase(), Fixtures.OPTIONS)) {
      created.createCircle(CrashWriter.CIRCLE);
    }
    long acknowledged = 0; // highest batch any child acknowledged
    long present = 0; // highest batch found complete after the last kill
    int kills = 0;
    int unacknowledgedButCommitted = 0;
    for (int round = 0; round < rounds; round++) {
      String context = "seed " + seed + ", round " + round;
      // Mostly after a few acks; sometimes before the first, while the child opens and recovers.
      int acksBeforeKill = random.nextInt(8) == 0 ? 0 : 1 + random.nextInt(20);
      long spinNanos = random.nextInt(3_000_000);
      Path stderr = dir.resolve("child-" + round + ".err");
      Process child = startChild(store, present + 1, stderr, natives);
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII))) {
        int acks = 0;
        while (acks < acksBeforeKill) {
          String line = lines.readLine();
          if (line == null) {
            fail("child exited early (" + context + "): " + Files.readString(stderr));
          }
          if (line.startsWith("ack ")) {
            acknowledged = Math.max(acknowledged, Long.parseLong(line.substring(4)));
            acks++;
          }
        }
        // Spin (not sleep) a seeded while, so the kill lands anywhere in the next commit.
        long until = System.nanoTime() + spinNanos;
        while (System.nanoTime() < until) {
          Thread.onSpinWait();
        }
        child.destroyForcibly();
        assertTrue(child.waitFor(30, TimeUnit.SECONDS), "child did not die (" + context + ")");
        kills++;
      }
      present = verify(store, acknowledged, context);
      if (present > acknowledged) {
        unacknowledgedButCommitted++;
        acknowledged = present; // committed is committed: the next round must keep it too
      }
    }
    System.out.printf("crash test (seed %d): %d kills, %d batches committed, %d kills between commit and ack%n",
        seed, kills, present, unacknowledgedButCommitted);
    assertTrue(kills >= 30, "at least 30 kills, got " + kills);
    assertTrue(acknowledged > rounds, "children made progress: " + acknowledged + " batches (seed " + seed + ")");
  }

  // RocksDB extracts its native library to a fresh /tmp file on every start and deletes it at a
  // normal exit; a SIGKILLed child would leave 17 MB behind each time. Extract it once here, where
  // System.loadLibrary finds it first.
  private static Path extractRocksDbLibrary(Path directory) throws IOException {
    Files.createDirectories(directory);
    String fileName = Environment.getJniLibraryFileName("rocksdb");
    try (InputStream library = RocksDB.class.getClassLoader().getResourceAsStream(fileName)) {
      if (library == null) {
        throw new IOException("rocksdbjni has no " + fileName + " for this platform");
      }
      Files.copy(library, directory.resolve(fileName));
    }
    return directory;
  }

  /** Returns the highest batch present; fails unless batches are all-or-nothing and acks hold. */
  private static long verify(Path store, long acknowledged, String context) {
    try (EncryptedStore reopened = EncryptedStore.open(store, Fixtures.passphrase(), Fixtures.OPTIONS)) {
      Map<Long, List<StoredMessage>> byBatch = new TreeMap<>();
      for (StoredMessage message : reopened.log(CrashWriter.CIRCLE, 0, Integer.MAX_VALUE)) {
        long batch = message.createdAt() - 1_000_000;
        byBatch.computeIfAbsent(batch, b -> new ArrayList<>()).add(message);
      }
      long highest = byBatch.isEmpty() ? 0 : ((TreeMap<Long, List<StoredMessage>>) byBatch).lastKey();
      // Batches past the last ack we read may be committed: the child goes on while we spin, and
      // its unread acks die with the pipe. What must hold is below: every batch up to the highest
      // is whole, and nothing acknowledged is missing.
      assertTrue(highest >= acknowledged, "acked batch " + acknowledged + " lost; highest present " + highest + " (" + context + ")");
      for (long batch = 1; batch <= highest; batch++) {
        List<StoredMessage> messages = byBatch.getOrDefault(batch, List.of());
        assertEquals(CrashWriter.RECORDS_PER_BATCH, messages.size(), "batch " + batch + " is partial or missing (" + context + ")");
        for (int record = 0; record < CrashWriter.RECORDS_PER_BATCH; record++) {
          Rumor expected = CrashWriter.rumor(batch, record);
          assertEquals(expected, messages.get(record).rumor(), "batch " + batch + " record " + record + " (" + context + ")");
        }
        Optional<byte[]> marker = reopened.deviceState(CrashWriter.marker(batch));
        assertTrue(marker.isPresent(), "batch " + batch + " lacks its marker (" + context + ")");
        assertEquals(Long.toString(batch), new String(marker.get(), StandardCharsets.US_ASCII));
      }
      assertTrue(reopened.deviceState(CrashWriter.marker(highest + 1)).isEmpty(), "a marker without its records (" + context + ")");
      long cursor = reopened.cursor(CrashWriter.CIRCLE, CrashWriter.RELAY).map(c -> c.since()).orElse(0L);
      assertEquals(highest, cursor, "the cursor advanced with its batch (" + context + ")");
      return highest;
    }
  }

  private static Process startChild(Path store, long firstBatch, Path stderr, Path natives) throws IOException {
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = List.of(
        java.toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
        "-Djava.library.path=" + natives, "-cp", classPath,
        CrashWriter.class.getName(), store.toString(), Long.toString(firstBatch));
    return new ProcessBuilder(command).redirectError(stderr.toFile()).start();
  }
}
