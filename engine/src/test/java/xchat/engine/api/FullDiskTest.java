package xchat.engine.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import xchat.protocol.keys.KeyPair;
import xchat.relay.server.RelayServer;
import xchat.testkit.Tmpfs;

/**
 * A device whose disk fills while messages arrive: the engine reports the failed commit, keeps
 * answering, refuses a send with a typed error, loses nothing, and catches up once there is room,
 * without a restart.
 * The device's home is a small tmpfs; mounting needs root (CI runs as root), else the test is
 * skipped and says why.
 */
class FullDiskTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final long ROOM_LEFT = 3L << 20;
  private static final int MAX_SENDS = 400;

  @Test
  void aFullDiskIsReportedLosesNothingAndHealsInPlaceOnceThereIsRoom() throws Exception {
    try (TestWorld world = new TestWorld("full-disk")) {
      Tmpfs tmpfs = Tmpfs.mountOrSkip(Files.createDirectory(world.root.resolve("disk")), "64m");
      Path disk = tmpfs.path();
      XChat bob = null;
      try {
        RelayServer relay = world.relay();
        KeyPair aliceKeys = world.newAccount();
        KeyPair bobKeys = world.newAccount();
        XChat alice = world.open("alice", aliceKeys);
        XChatConfig bobConfig = world.config(disk.resolve("bob"), bobKeys).deviceLabel("bob").build();
        bob = world.open(bobConfig);
        alice.createCircle("friends", List.of(relay.url()));
        bob.createCircle("friends", List.of(relay.url()));
        TestWorld.Events bobEvents = TestWorld.Events.of(bob);

        Path ballast = disk.resolve("ballast");
        fill(ballast, Files.getFileStore(disk).getUsableSpace() - ROOM_LEFT);

        Random random = new Random(world.seed);
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < MAX_SENDS && storageErrors(bobEvents).isEmpty(); i++) {
          MessageHandle handle = alice.send("friends", List.of(bob.publicKeyHex()), i + " " + text(random, 30_000));
          assertInstanceOf(SendOutcome.Sent.class, handle.outcome().toCompletableFuture().get(30, TimeUnit.SECONDS),
              world.why());
          sent.add(handle.messageId());
        }
        await().atMost(WAIT).until(() -> !storageErrors(bobEvents).isEmpty());
        String reported = storageErrors(bobEvents).get(0).what();
        assertTrue(reported.contains("StorageFullException"), reported);

        // Still answering: reads work, and a send either becomes durable (RocksDB may still take a
        // small write after a failed flush) or is refused with a typed error, never a hang.
        XChat full = bob;
        assertEquals(List.of("friends"), full.circles().stream().map(CircleInfo::name).toList());
        int before = full.messages("friends").size();
        assertTrue(before < sent.size(), "the disk filled before every message was stored (" + world.why() + ")");
        Optional<String> queuedWhileFull = Optional.empty();
        try {
          queuedWhileFull = Optional.of(full.send("friends", List.of(alice.publicKeyHex()), "from a full disk")
              .messageId());
          String queuedId = queuedWhileFull.get();
          assertTrue(full.messages("friends").stream().anyMatch(m -> m.id().equals(queuedId)),
              "a send that returned is in the log (" + world.why() + ")");
        } catch (XChatException refused) {
          assertEquals(XChatException.Reason.STORAGE, refused.reason(), refused.getMessage());
          assertFalse(refused.getMessage().contains("from a full disk"), "no plaintext in the error");
        }

        // Room again: the user frees space. Without a restart, the next sync brings everything the
        // relay holds: the store reopens itself on the first write that finds room.
        Files.delete(ballast);
        bob.sync("friends", WAIT).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        XChat healed = bob;
        List<String> owed = new ArrayList<>(sent);
        Optional<String> queued = queuedWhileFull;
        queued.ifPresent(owed::add);
        await().atMost(WAIT).untilAsserted(() -> {
          Set<String> stored = new HashSet<>();
          healed.messages("friends").forEach(m -> stored.add(m.id()));
          List<String> missing = owed.stream().filter(id -> !stored.contains(id)).toList();
          assertTrue(missing.isEmpty(), stored.size() + " of " + owed.size() + " messages; missing " + missing
              + (queued.isPresent() ? ", queued while full: " + queued.get() : "") + " (" + world.why() + ")");
        });
        queued.ifPresent(id -> await().atMost(WAIT).untilAsserted(() -> assertTrue(
            alice.messages("friends").stream().anyMatch(m -> m.id().equals(id)),
            "the send queued while the disk was full reaches alice (" + world.why() + ")")));
        assertInstanceOf(SendOutcome.Sent.class, healed.send("friends", List.of(alice.publicKeyHex()), "room again")
            .outcome().toCompletableFuture().get(30, TimeUnit.SECONDS), world.why());
      } finally {
        try {
          if (bob != null) {
            world.close(bob);
          }
        } finally {
          tmpfs.close();
        }
      }
    }
  }

  private static List<EngineEvent.EngineError> storageErrors(TestWorld.Events events) {
    return events.of(EngineEvent.EngineError.class).stream().filter(e -> e.what().contains("Storage")).toList();
  }

  private static String text(Random random, int length) {
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append((char) ('a' + random.nextInt(26)));
    }
    return out.toString();
  }

  private static void fill(Path file, long bytes) throws IOException {
    byte[] chunk = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long written = 0; written < bytes; written += chunk.length) {
        out.write(chunk, 0, (int) Math.min(chunk.length, bytes - written));
      }
    }
  }
}
