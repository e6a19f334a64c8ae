package xchat.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import xchat.persistence.cursor.SyncCursor;
import xchat.persistence.log.ConversationId;
import xchat.persistence.outbox.OutboxCopy;
import xchat.persistence.outbox.OutboxEntry;
import xchat.persistence.outbox.RelayAck;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.Rumor;
import xchat.protocol.event.Tag;
import xchat.protocol.hex.Hex;
import xchat.protocol.keys.PublicKey;

/**
 * Nothing readable at rest: after writing marked data, every file in the store directory (SST,
 * WAL, MANIFEST, OPTIONS, info LOG), both while open and after close, is free of the markers and
 * of the raw bytes, hex and base64 of every id and pubkey written.
 */
class AtRestScanTest {
  private static final String MARKER = "ZEBRA-MARKER-7f3a";

  @TempDir Path dir;

  @Test
  void noMarkerIdOrPubkeyAppearsInAnyFile() throws Exception {
    long seed = 41;
    Random random = new Random(seed);
    Map<String, byte[]> secrets = new LinkedHashMap<>();
    CircleId circle = CircleId.of("circle-" + MARKER);
    CircleId doomedCircle = CircleId.of("doomed-" + MARKER);
    String relay = "wss://relay-" + MARKER.toLowerCase(Locale.ROOT) + ".example";
    ConversationId conversation = Fixtures.conversation(random);
    secrets.put("conversation id", conversation.bytes());
    Path store = dir.resolve("store");
    Path liveCopy = dir.resolve("live-copy");

    try (EncryptedStore db = EncryptedStore.create(store, Fixtures.passphrase(), Fixtures.OPTIONS)) {
      db.createCircle(circle);
      db.createCircle(doomedCircle);
      writeMarked(db, circle, conversation, relay, random, secrets, 0);
      db.batch().appendMessage(doomedCircle, conversation, Fixtures.rumor(random, 5, MARKER + " doomed")).commit();
      db.deleteCircle(doomedCircle); // compaction: its log lines name key ranges
    }
    try (EncryptedStore db = EncryptedStore.open(store, Fixtures.passphrase(), Fixtures.OPTIONS)) {
      writeMarked(db, circle, conversation, relay, random, secrets, 1);
      // While open, the second round lives only in the WAL and memtables.
      copyDirectory(store, liveCopy);
    }

    Map<String, String> needles = needles(secrets);
    needles.put("marker", MARKER);
    needles.put("marker (lower case)", MARKER.toLowerCase(Locale.ROOT));
    needles.put("passphrase", new String(Fixtures.passphrase()));

    List<String> scanned = new ArrayList<>();
    List<String> found = new ArrayList<>();
    for (Path root : List.of(store, liveCopy)) {
      try (Stream<Path> files = Files.walk(root)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          scanned.add(root.relativize(file).toString());
          String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
          needles.forEach((what, needle) -> {
            if (content.contains(needle)) {
              found.add(what + " in " + root.getFileName() + "/" + root.relativize(file));
            }
          });
        }
      }
    }
    assertEquals(List.of(), found, "seed " + seed);
    assertTrue(scanned.stream().anyMatch(name -> name.endsWith(".sst")), "scanned SSTs: " + scanned);
    assertTrue(scanned.stream().anyMatch(name -> name.endsWith(".log") && !name.equals("LOG")), "scanned a WAL: " + scanned);
    assertTrue(scanned.stream().anyMatch(name -> name.startsWith("MANIFEST-")), "scanned the MANIFEST: " + scanned);
    assertTrue(scanned.stream().anyMatch(name -> name.startsWith("OPTIONS-")), "scanned OPTIONS: " + scanned);
    assertTrue(scanned.contains("LOG"), "scanned the info LOG: " + scanned);
  }

  /** The scan is only worth something if it sees plaintext that is there. */
  @Test
  void theScanFindsMarkersInAnUnencryptedRocksDb() throws Exception {
    Path plain = dir.resolve("plain");
    byte[] id = new byte[32];
    new Random(42).nextBytes(id);
    try (Options options = new Options().setCreateIfMissing(true); RocksDB db = RocksDB.open(options, plain.toString())) {
      db.put(id, MARKER.getBytes(StandardCharsets.UTF_8));
    }
    Map<String, String> needles = needles(Map.of("id", id));
    needles.put("marker", MARKER);
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(plain)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        needles.forEach((what, needle) -> {
          if (content.contains(needle)) {
            found.add(what);
          }
        });
      }
    }
    assertTrue(found.contains("marker"), String.valueOf(found));
    assertTrue(found.contains("id (raw)"), String.valueOf(found));
  }

  private static void writeMarked(
      EncryptedStore db,
      CircleId circle,
      ConversationId conversation,
      String relay,
      Random random,
      Map<String, byte[]> secrets,
      int round) {
    StoreBatch batch = db.batch();
    for (int i = 0; i < 20; i++) {
      PublicKey author = Fixtures.pubkey(random);
      PublicKey recipient = Fixtures.pubkey(random);
      Rumor rumor =
          Fixtures.rumor(author, 1_700_000_000L + i, MARKER + " message " + round + "/" + i,
              Tag.of("p", recipient.hex()), Tag.of("subject", MARKER));
      NostrEvent wrap = Fixtures.wrap(random, 1_699_900_000L + i, recipient);
      secrets.put("rumor id " + round + "/" + i, rumor.id().bytes());
      secrets.put("wrap id " + round + "/" + i, wrap.id().bytes());
      secrets.put("author " + round + "/" + i, author.bytes());
      secrets.put("recipient " + round + "/" + i, recipient.bytes());
      secrets.put("wrap pubkey " + round + "/" + i, wrap.pubkey().bytes());
      batch.recordEvent(circle, wrap).appendMessage(circle, conversation, rumor, Optional.of(wrap.id()));
      if (i == 0) {
        batch.putOutbox(new OutboxEntry(circle, rumor.id(), 1, List.of(
            new OutboxCopy(recipient, wrap, List.of(RelayAck.pending(relay, 1))))));
        secrets.put("wrap signature " + round, wrap.sig().bytes());
      }
      if (i == 1) {
        batch.tombstone(circle, rumor.id(), 2);
      }
    }
    batch.advanceCursor(circle, relay, new SyncCursor(1_700_000_000L, 1));
    batch.putDeviceState("state-" + MARKER, (MARKER + " crdt state").getBytes(StandardCharsets.UTF_8));
    batch.commit();
  }

  /** Raw bytes, hex (both cases) and base64 (both alphabets, all three alignments) of each secret, and of its first half. */
  private static Map<String, String> needles(Map<String, byte[]> secrets) {
    Map<String, String> needles = new LinkedHashMap<>();
    secrets.forEach((name, bytes) -> {
      addNeedles(needles, name, bytes);
      addNeedles(needles, name + " first half", Arrays.copyOf(bytes, bytes.length / 2));
    });
    return needles;
  }

  private static void addNeedles(Map<String, String> needles, String name, byte[] bytes) {
    needles.put(name + " (raw)", new String(bytes, StandardCharsets.ISO_8859_1));
    String hex = Hex.encode(bytes);
    needles.put(name + " (hex)", hex);
    needles.put(name + " (HEX)", hex.toUpperCase(Locale.ROOT));
    for (int shift = 0; shift < 3; shift++) {
      // Inside a longer base64 text the encoding of whole 3-byte groups does not depend on what
      // surrounds them, so each alignment has a fixed core.
      byte[] aligned = Arrays.copyOfRange(bytes, shift, shift + (bytes.length - shift) / 3 * 3);
      if (aligned.length >= 6) {
        needles.put(name + " (base64 +" + shift + ")", Base64.getEncoder().withoutPadding().encodeToString(aligned));
        needles.put(name + " (base64url +" + shift + ")", Base64.getUrlEncoder().withoutPadding().encodeToString(aligned));
      }
    }
  }

  private static void copyDirectory(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Files.copy(file, to.resolve(file.getFileName()));
      }
    }
  }
}
