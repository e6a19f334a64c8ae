package xchat.persistence;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import xchat.persistence.cursor.SyncCursor;
import xchat.persistence.log.ConversationId;
import xchat.protocol.event.Rumor;
import xchat.protocol.keys.PublicKey;

/**
 * The child process of {@link CrashTest}: appends numbered batches with PER_BATCH sync and prints
 * {@code ack N} after each commit returns, until it is killed.
 *
 * <p>Usage: {@code CrashWriter DIR FIRST_BATCH}
 */
public final class CrashWriter {
  static final CircleId CIRCLE = CircleId.of("crash");
  static final ConversationId CONVERSATION = new ConversationId("crash-test".getBytes(StandardCharsets.UTF_8));
  static final int RECORDS_PER_BATCH = 8;
  static final String RELAY = "wss://crash.example";
  private static final int MAX_BATCHES = 100_000;

  private CrashWriter() {}

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    long first = Long.parseLong(args[1]);
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.US_ASCII);
    try (EncryptedStore store = EncryptedStore.open(dir, Fixtures.passphrase(), Fixtures.OPTIONS)) {
      out.println("open");
      out.flush();
      for (long batch = first; batch < first + MAX_BATCHES; batch++) {
        StoreBatch writes = store.batch();
        for (int record = 0; record < RECORDS_PER_BATCH; record++) {
          writes.appendMessage(CIRCLE, CONVERSATION, rumor(batch, record));
        }
        writes.putDeviceState(marker(batch), Long.toString(batch).getBytes(StandardCharsets.US_ASCII));
        writes.advanceCursor(CIRCLE, RELAY, new SyncCursor(batch, batch));
        writes.commit();
        out.println("ack " + batch);
        out.flush();
        if (out.checkError()) {
          return; // the parent is gone: stop rather than write on forever
        }
      }
    }
  }

  static String marker(long batch) {
    return "batch-" + batch;
  }

  /** Deterministic, so the parent can rebuild and compare every record. */
  static Rumor rumor(long batch, int record) {
    Random random = new Random(batch * 1_000 + record);
    PublicKey author = Fixtures.pubkey(random);
    return Fixtures.rumor(author, 1_000_000 + batch, "batch " + batch + " record " + record + " " + Fixtures.text(random, 200));
  }
}
