package xchat.engine.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import xchat.engine.media.BlossomClient;
import xchat.engine.media.BlossomClientSettings;
import xchat.engine.media.EncryptedMediaCache;
import xchat.engine.media.MediaProgress;
import xchat.engine.media.UploadReport;
import xchat.persistence.CircleId;
import xchat.persistence.EncryptedStore;
import xchat.persistence.StoreOptions;
import xchat.persistence.UnknownCircleException;
import xchat.protocol.keys.KeyPair;
import xchat.relay.server.RelayServer;

/** Encrypted files between real engines, through real relays that also serve Blossom, on loopback. */
class MediaEndToEndTest {
  static final Duration WAIT = Duration.ofSeconds(60);
  static final String CIRCLE = "family";
  static final int SIZE = 3 * 1024 * 1024 + 517;

  static String http(RelayServer relay) {
    return relay.url().replace("ws://", "http://");
  }

  /** Seeded bytes with {@code marker} at every 64 KiB, so a scan can look for any of its copies. */
  static Path plaintext(Path file, long seed, byte[] marker) throws IOException {
    byte[] data = new byte[SIZE];
    new Random(seed).nextBytes(data);
    for (int at = 0; at + marker.length <= data.length; at += 64 * 1024) {
      System.arraycopy(marker, 0, data, at, marker.length);
    }
    Files.createDirectories(file.getParent());
    return Files.write(file, data);
  }

  static byte[] marker(long seed) {
    byte[] marker = ("xchat-plaintext-marker-" + Long.toHexString(seed)).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    return marker;
  }

  static String serverOf(String blobUrl) {
    return blobUrl.substring(0, blobUrl.lastIndexOf('/'));
  }

  static Optional<Message> fileMessage(XChat chat) {
    return chat.messages(CIRCLE).stream().filter(m -> m.file().isPresent()).findFirst();
  }

  static <T> T get(java.util.concurrent.CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  /** Alice's laptop and phone, and Bob, in one circle on {@code relay}, Alice's file servers given. */
  record Room(XChat laptop, XChat phone, XChat bob, KeyPair alice) {}

  static Room room(TestWorld world, RelayServer relay, List<String> fileServers) {
    KeyPair alice = world.newAccount();
    KeyPair bobKeys = world.newAccount();
    XChat laptop = world.open("alice-laptop", alice);
    XChat phone = world.open("alice-phone", alice);
    XChat bob = world.open("bob", bobKeys);
    laptop.createCircle(CIRCLE, List.of(relay.url()));
    phone.createCircle(CIRCLE, List.of(relay.url()));
    bob.createCircle(CIRCLE, List.of(relay.url()));
    laptop.setFileServers(CIRCLE, fileServers);
    return new Room(laptop, phone, bob, alice);
  }

  static FileSendResult.Sent send(TestWorld world, Room room, Path file) throws Exception {
    FileSendResult result = get(room.laptop().sendFile(CIRCLE, List.of(room.bob().npub()), file, "application/pdf"));
    FileSendResult.Sent sent = assertInstanceOf(FileSendResult.Sent.class, result, world.why() + " " + result);
    SendOutcome outcome = get(sent.message().outcome());
    assertInstanceOf(SendOutcome.Sent.class, outcome, world.why() + " " + outcome);
    await().atMost(WAIT).until(() -> fileMessage(room.bob()).isPresent() && fileMessage(room.phone()).isPresent());
    return sent;
  }

  static long filesUnder(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).count();
    }
  }

  @Test
  void aFileReachesTheRecipientAndTheSendersOtherDeviceAndComesFromTheCacheTheSecondTime() throws Exception {
    try (TestWorld world = new TestWorld("media-round-trip")) {
      RelayServer relay = world.relay();
      RelayServer second = world.relay();
      Room room = room(world, relay, List.of(http(relay), http(second)));
      TestWorld.Events laptopEvents = TestWorld.Events.of(room.laptop());
      TestWorld.Events bobEvents = TestWorld.Events.of(room.bob());
      Path file = plaintext(world.root.resolve("outside/report.pdf"), world.seed, marker(world.seed));

      FileSendResult.Sent sent = send(world, room, file);
      assertEquals(2, sent.servers().size(), world.why());
      assertTrue(sent.servers().stream().allMatch(FileSendResult.ServerUpload::stored), world.why() + " " + sent);

      Message atBob = fileMessage(room.bob()).orElseThrow();
      FileInfo info = atBob.file().orElseThrow();
      assertEquals(sent.message().messageId(), atBob.id(), world.why());
      assertEquals("application/pdf", info.mimeType(), world.why());
      assertEquals(sent.file(), info, world.why());
      // File servers are a set synced across devices: the message names them in URL order.
      assertEquals(1, info.fallbackUrls().size(), world.why() + " " + info);
      assertEquals(java.util.Set.of(http(relay), http(second)),
          java.util.Set.of(serverOf(info.url()), serverOf(info.fallbackUrls().get(0))), world.why());
      assertTrue(info.url().contains("/" + info.encryptedSha256()), world.why());
      assertFalse(info.toString().contains("decryption"), world.why());

      for (XChat device : List.of(room.bob(), room.phone())) {
        Path target = world.root.resolve("outside/" + device.deviceId() + ".pdf");
        String id = fileMessage(device).orElseThrow().id();
        FileResult result = get(device.getFile(CIRCLE, id, target));
        FileResult.Saved saved = assertInstanceOf(FileResult.Saved.class, result, world.why() + " " + result);
        assertTrue(saved.from().isPresent(), world.why());
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(target), world.why());
      }

      Path again = world.root.resolve("outside/again.pdf");
      FileResult cached = get(room.bob().getFile(CIRCLE, atBob.id(), again));
      FileResult.Saved fromCache = assertInstanceOf(FileResult.Saved.class, cached, world.why() + " " + cached);
      assertEquals(Optional.empty(), fromCache.from(), world.why());
      assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(again), world.why());

      await().atMost(WAIT).until(() -> laptopEvents.of(EngineEvent.MediaProgress.class).stream()
          .anyMatch(p -> p.phase().equals("UPLOADING") && p.done() == p.total()));
      await().atMost(WAIT).until(() -> bobEvents.of(EngineEvent.MediaProgress.class).stream()
          .anyMatch(p -> p.phase().equals("DECRYPTING") && p.done() == p.total()));
      assertTrue(bobEvents.of(EngineEvent.MediaProgress.class).size() < 1000, world.why());
    }
  }

  @Test
  void aTamperedBlobIsRejectedWithATypedErrorAndNothingIsWritten() throws Exception {
    try (TestWorld world = new TestWorld("media-tampered")) {
      RelayServer relay = world.relay();
      Room room = room(world, relay, List.of(http(relay)));
      Path file = plaintext(world.root.resolve("outside/photo.jpg"), world.seed, marker(world.seed));
      FileSendResult.Sent sent = send(world, room, file);

      Path blob = relay.blossom().store().blobPath(sent.file().encryptedSha256());
      try (FileChannel channel = FileChannel.open(blob, StandardOpenOption.WRITE)) {
        channel.write(ByteBuffer.wrap(new byte[] {0x42, 0x42, 0x42, 0x42}), 1000);
      }

      Path target = world.root.resolve("outside/tampered.jpg");
      FileResult result = get(room.bob().getFile(CIRCLE, sent.message().messageId(), target));
      FileResult.Failed failed = assertInstanceOf(FileResult.Failed.class, result, world.why() + " " + result);
      assertEquals(FileResult.Reason.TAMPERED, failed.reason(), world.why() + " " + failed);
      assertTrue(failed.attempts().stream().anyMatch(a -> a.kind().equals("HASH_MISMATCH")), world.why() + " " + failed);
      assertFalse(Files.exists(target), world.why());
      assertEquals(0, filesUnder(world.root.resolve("bob/media/cache")), world.why());
    }
  }

  @Test
  void aServerDownFallsBackToTheNextAndToTheSendersNipB7List() throws Exception {
    try (TestWorld world = new TestWorld("media-fallback")) {
      RelayServer relay = world.relay();
      RelayServer first = world.relay();
      RelayServer second = world.relay();
      RelayServer listedOnly = world.relay();
      Room room = room(world, relay, List.of(http(first), http(second)));
      Path file = plaintext(world.root.resolve("outside/a.bin"), world.seed, marker(world.seed));
      FileSendResult.Sent sent = send(world, room, file);
      String id = sent.message().messageId();

      world.stop(first);
      Path target = world.root.resolve("outside/b.bin");
      FileResult result = get(room.bob().getFile(CIRCLE, id, target));
      FileResult.Saved saved = assertInstanceOf(FileResult.Saved.class, result, world.why() + " " + result);
      assertTrue(saved.from().orElseThrow().startsWith(http(second)), world.why() + " " + saved);
      boolean firstNamedFirst = sent.file().url().startsWith(http(first));
      assertEquals(firstNamedFirst, saved.failedFirst().stream().anyMatch(f -> f.url().startsWith(http(first))),
          world.why() + " " + saved);
      assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(target), world.why());

      // The phone's only way to the blob: a server the message does not name, on Alice's new NIP-B7 list.
      Path blob = second.blossom().store().blobPath(sent.file().encryptedSha256());
      ExecutorService executor = Executors.newFixedThreadPool(2);
      try {
        BlossomClient client = new BlossomClient(executor, BlossomClientSettings.defaults(), Clock.systemUTC(),
            TestWorld.CURVE, new SecureRandom());
        UploadReport copy = client.upload(room.alice(), blob, sent.file().encryptedSha256(),
            "application/octet-stream", List.of(URI.create(http(listedOnly))), MediaProgress.NONE).get(60, TimeUnit.SECONDS);
        assertTrue(copy.storedEverywhere(), world.why() + " " + copy);
      } finally {
        executor.shutdownNow();
      }
      room.laptop().setFileServers(CIRCLE, List.of(http(listedOnly)));
      world.stop(second);
      Path viaList = world.root.resolve("outside/c.bin");
      await().atMost(WAIT).until(() -> {
        FileResult r = get(room.phone().getFile(CIRCLE, id, viaList));
        return r instanceof FileResult.Saved;
      });
      assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(viaList), world.why());
    }
  }

  @Test
  void deletingAFileMessageDeletesTheBlobOnEveryServerAndEveryCachedCopy() throws Exception {
    try (TestWorld world = new TestWorld("media-delete")) {
      RelayServer relay = world.relay();
      RelayServer second = world.relay();
      Room room = room(world, relay, List.of(http(relay), http(second)));
      TestWorld.Events laptopEvents = TestWorld.Events.of(room.laptop());
      Path file = plaintext(world.root.resolve("outside/x.bin"), world.seed, marker(world.seed));
      FileSendResult.Sent sent = send(world, room, file);
      String id = sent.message().messageId();
      for (XChat device : List.of(room.bob(), room.phone(), room.laptop())) {
        FileResult result = get(device.getFile(CIRCLE, id, world.root.resolve("outside/" + device.deviceId())));
        assertInstanceOf(FileResult.Saved.class, result, world.why() + " " + result);
      }
      for (String home : List.of("bob", "alice-phone", "alice-laptop")) {
        assertTrue(filesUnder(world.root.resolve(home).resolve("media/cache")) > 0, world.why() + " " + home);
      }

      DeletionHandle deletion = room.laptop().delete(CIRCLE, id);
      List<FileServerDeletion> servers = get(deletion.fileServers());
      assertEquals(java.util.Set.of(http(relay), http(second)), servers.stream().map(FileServerDeletion::server)
          .map(s -> s.replaceAll("/$", "")).collect(java.util.stream.Collectors.toSet()), world.why() + " " + servers);
      assertTrue(servers.stream().allMatch(s -> s.outcome() == FileServerDeletion.Outcome.DELETED),
          world.why() + " " + servers);
      assertTrue(relay.blossom().store().find(sent.file().encryptedSha256()).isEmpty(), world.why());
      assertTrue(second.blossom().store().find(sent.file().encryptedSha256()).isEmpty(), world.why());
      await().atMost(WAIT).until(() -> laptopEvents.of(EngineEvent.FileDeleted.class).size() == 1);

      for (String home : List.of("bob", "alice-phone", "alice-laptop")) {
        await().atMost(WAIT).until(() -> filesUnder(world.root.resolve(home).resolve("media/cache")) == 0);
      }
      assertTrue(fileMessage(room.bob()).isEmpty(), world.why());
    }
  }

  @Test
  void removingTheCircleShredsItsMediaCache() throws Exception {
    try (TestWorld world = new TestWorld("media-shred")) {
      RelayServer relay = world.relay();
      Room room = room(world, relay, List.of(http(relay)));
      Path file = plaintext(world.root.resolve("outside/s.bin"), world.seed, marker(world.seed));
      FileSendResult.Sent sent = send(world, room, file);
      String x = sent.file().encryptedSha256();
      FileResult result = get(room.bob().getFile(CIRCLE, sent.message().messageId(), world.root.resolve("outside/t")));
      assertInstanceOf(FileResult.Saved.class, result, world.why() + " " + result);

      Path cache = world.root.resolve("bob/media/cache");
      Path kept = world.root.resolve("outside/kept-cache");
      copyTree(cache, kept);
      assertTrue(filesUnder(kept) > 0, world.why());

      room.bob().removeCircle(CIRCLE);
      assertEquals(0, filesUnder(cache), world.why());
      world.close(room.bob());

      // Someone who kept the cache files and learns the passphrase still cannot read them: the key
      // derives from the circle's secret, which is gone; a new circle of the same name has another.
      try (EncryptedStore store = EncryptedStore.open(world.root.resolve("bob/db"), TestWorld.PASSPHRASE.clone(),
          StoreOptions.defaults())) {
        assertThrows(UnknownCircleException.class, () -> store.circleDerivedKey(CircleId.of(CIRCLE), "xchat/media-cache/v1"));
        store.createCircle(CircleId.of(CIRCLE));
        copyTree(kept, cache);
        EncryptedMediaCache reopened = new EncryptedMediaCache(cache,
            circle -> store.circleDerivedKey(CircleId.of(circle), "xchat/media-cache/v1"), new SecureRandom());
        assertFalse(reopened.contains(CIRCLE, x), world.why());
        assertEquals(Optional.empty(), reopened.open(CIRCLE, x), world.why());
      }
    }
  }

  @Test
  void noPlaintextOfTheFileIsAnywhereInTheHomes() throws Exception {
    try (TestWorld world = new TestWorld("media-scan")) {
      RelayServer relay = world.relay();
      Room room = room(world, relay, List.of(http(relay)));
      byte[] marker = marker(world.seed);
      Path file = plaintext(world.root.resolve("outside/secret.bin"), world.seed, marker);
      FileSendResult.Sent sent = send(world, room, file);
      for (XChat device : List.of(room.bob(), room.phone())) {
        FileResult result = get(device.getFile(CIRCLE, sent.message().messageId(),
            world.root.resolve("outside/" + device.deviceId())));
        assertInstanceOf(FileResult.Saved.class, result, world.why() + " " + result);
      }
      world.close(room.bob());
      world.close(room.phone());
      world.close(room.laptop());

      byte[] head = java.util.Arrays.copyOfRange(Files.readAllBytes(file), 100, 164);
      List<Path> scanned = new ArrayList<>();
      for (String home : List.of("bob", "alice-phone", "alice-laptop")) {
        try (Stream<Path> files = Files.walk(world.root.resolve(home))) {
          for (Path path : files.filter(Files::isRegularFile).toList()) {
            byte[] bytes = Files.readAllBytes(path);
            assertFalse(contains(bytes, marker), world.why() + ": the marker is in " + path);
            assertFalse(contains(bytes, head), world.why() + ": file bytes are in " + path);
            scanned.add(path);
          }
        }
      }
      assertTrue(scanned.stream().anyMatch(p -> p.toString().contains("media/cache")), world.why() + " " + scanned);
      assertTrue(scanned.stream().anyMatch(p -> p.toString().endsWith(".sst") || p.toString().endsWith(".log")),
          world.why() + " " + scanned);
    }
  }

  static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path path : files.toList()) {
        Path target = to.resolve(from.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(target);
        } else {
          Files.copy(path, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
