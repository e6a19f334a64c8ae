package xchat.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xchat.persistence.log.ConversationId;
import xchat.persistence.log.StoredMessage;
import xchat.protocol.event.Rumor;

/** A reader running alongside commits sees each batch entirely or not at all. */
class AtomicVisibilityTest {
  private static final CircleId CIRCLE = CircleId.of("atomic");
  private static final int BATCHES = 150;
  private static final int PER_BATCH = 12;

  @TempDir Path dir;

  @Test
  void readersNeverSeeHalfABatch() throws Exception {
    long seed = 51;
    Random random = new Random(seed);
    ConversationId conversation = Fixtures.conversation(random);
    List<List<Rumor>> batches = new ArrayList<>();
    for (int b = 0; b < BATCHES; b++) {
      List<Rumor> rumors = new ArrayList<>();
      for (int i = 0; i < PER_BATCH; i++) {
        rumors.add(Fixtures.rumor(random, 1_000 + b, "batch " + b + " item " + i));
      }
      batches.add(rumors);
    }
    try (EncryptedStore store = EncryptedStore.create(dir, Fixtures.passphrase(), Fixtures.OPTIONS.withSyncMode(SyncMode.GROUP_COMMIT))) {
      store.createCircle(CIRCLE);
      CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
        for (List<Rumor> rumors : batches) {
          StoreBatch batch = store.batch();
          rumors.forEach(rumor -> batch.appendMessage(CIRCLE, conversation, rumor));
          batch.commit();
        }
      });
      int reads = 0;
      int partialViews = 0;
      int lastSeen = 0;
      while (!writer.isDone() || reads == 0) {
        List<StoredMessage> page = store.messages(CIRCLE, conversation, Optional.empty(), Integer.MAX_VALUE).messages();
        List<StoredMessage> log = store.log(CIRCLE, 0, Integer.MAX_VALUE);
        for (List<StoredMessage> view : List.of(page, log)) {
          Map<Long, Integer> perBatch = new TreeMap<>();
          view.forEach(m -> perBatch.merge(m.createdAt(), 1, Integer::sum));
          for (int count : perBatch.values()) {
            if (count != PER_BATCH) {
              partialViews++;
            }
          }
        }
        assertTrue(page.size() >= lastSeen, "views only grow");
        lastSeen = page.size();
        reads++;
      }
      writer.get(30, TimeUnit.SECONDS);
      assertEquals(0, partialViews, "seed " + seed + ", " + reads + " reads");
      assertEquals(BATCHES * PER_BATCH, store.log(CIRCLE, 0, Integer.MAX_VALUE).size());
      assertTrue(reads > 1, "the reader overlapped the writer: " + reads + " reads");
    }
  }
}
