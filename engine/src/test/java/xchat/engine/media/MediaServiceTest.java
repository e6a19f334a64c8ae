package xchat.engine.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xchat.engine.media.DeleteReport.Outcome;
import xchat.engine.media.DownloadResult.FailedAttempt;
import xchat.engine.media.MediaWorld.Device;
import xchat.engine.media.TransferFailure.Kind;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.Rumor;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.media.DecryptResult;
import xchat.protocol.nip17.ChatRumors;
import xchat.protocol.nip17.FileMetadata;
import xchat.protocol.nip17.PrivateMessages;
import xchat.protocol.nip59.GiftWrap;
import xchat.protocol.nip59.UnwrapResult;
import xchat.protocol.nip59.Unwrapper;

class MediaServiceTest {
  static final long SEED = 0x15_0063L;
  static final KeyPair ALICE = MediaWorld.keys("alice");
  static final KeyPair BOB = MediaWorld.keys("bob");
  static final byte[] MARKER = "XCHAT-PLAINTEXT-MARKER-7f3a".getBytes(StandardCharsets.US_ASCII);
  static final String CIRCLE = "family";

  @TempDir Path dir;
  MediaWorld world;

  @AfterEach
  void closeWorld() {
    if (world != null) {
      world.close();
    }
  }

  static <T> T await(java.util.concurrent.CompletableFuture<T> future) throws Exception {
    return future.get(60, TimeUnit.SECONDS);
  }

  Path photo(long size) throws IOException {
    return MediaWorld.plaintextFile(dir.resolve("photo-" + size + ".jpg"), size, SEED, MARKER);
  }

  FileMetadata send(Device device, Path file, List<URI> servers) throws Exception {
    SendResult result =
        await(device.media().send(ALICE, file, "image/jpeg", servers, MediaProgress.NONE));
    return assertInstanceOf(SendResult.Sent.class, result, "seed " + SEED).metadata();
  }

  byte[] cached(Device device, FileMetadata file) throws IOException {
    try (InputStream in = device.media().open(CIRCLE, file).orElseThrow()) {
      return in.readAllBytes();
    }
  }

  /** Alice's file message, gift-wrapped for Bob and for herself, as NIP-17 sends it. */
  static List<PrivateMessages.Copy> wrapFileMessage(FileMetadata file) {
    Rumor rumor =
        ChatRumors.file(
            ALICE.publicKey(),
            List.of(BOB.publicKey()),
            file,
            1_700_000_000L,
            ChatRumors.Options.NONE);
    GiftWrap giftWrap =
        new GiftWrap(MediaWorld.CURVE, new java.util.Random(SEED), () -> 1_700_000_000L);
    return PrivateMessages.wrapForRoom(rumor, ALICE, giftWrap);
  }

  static FileMetadata unwrapFileMessage(KeyPair recipient, List<PrivateMessages.Copy> copies) {
    NostrEvent wrap =
        copies.stream()
            .filter(copy -> copy.recipient().equals(recipient.publicKey()))
            .findFirst()
            .orElseThrow()
            .wrap();
    UnwrapResult result = new Unwrapper(recipient, MediaWorld.CURVE).unwrap(wrap);
    Rumor rumor = assertInstanceOf(UnwrapResult.Unwrapped.class, result).rumor();
    return ChatRumors.fileMetadata(rumor).orElseThrow();
  }

  @Test
  void aFileRoundTripsToASecondAccountAndTheSendersOtherDevice() throws Exception {
    world = new MediaWorld(dir.resolve("world"), 2, SEED);
    Path original = photo(300_000);
    FileMetadata sent = send(world.device("alice-phone"), original, world.serverUrls());
    assertEquals(1, sent.fallbackUrls().size(), "the second server is a fallback");
    List<PrivateMessages.Copy> copies = wrapFileMessage(sent);

    for (KeyPair reader : List.of(BOB, ALICE)) {
      Device device = world.device(reader == BOB ? "bob-laptop" : "alice-laptop");
      FileMetadata received = unwrapFileMessage(reader, copies);
      ReceiveResult result =
          await(device.media().receive(CIRCLE, received, List.of(), MediaProgress.NONE));
      ReceiveResult.Received done =
          assertInstanceOf(ReceiveResult.Received.class, result, "seed " + SEED);
      assertEquals(Optional.of(URI.create(sent.url())), done.from());
      assertEquals(Files.size(original), done.size());
      assertArrayEquals(Files.readAllBytes(original), cached(device, received), "seed " + SEED);
      Path saved = device.home().resolve("saved.jpg");
      assertEquals(
          Optional.of(Files.size(original)), device.media().saveTo(CIRCLE, received, saved));
      assertArrayEquals(Files.readAllBytes(original), Files.readAllBytes(saved));
    }
  }

  @Test
  void aTamperedBlobIsRejectedAndTheNextServerServesTheFile() throws Exception {
    world = new MediaWorld(dir.resolve("world"), 2, SEED);
    Path original = photo(100_000);
    FileMetadata sent = send(world.device("alice"), original, world.serverUrls());
    Path stored = world.servers.get(0).routes().store().blobPath(sent.encryptedSha256());
    byte[] bytes = Files.readAllBytes(stored);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(stored, bytes);

    Device bob = world.device("bob");
    ReceiveResult result = await(bob.media().receive(CIRCLE, sent, List.of(), MediaProgress.NONE));
    ReceiveResult.Received done =
        assertInstanceOf(ReceiveResult.Received.class, result, "seed " + SEED);
    assertEquals(Optional.of(URI.create(sent.fallbackUrls().get(0))), done.from());
    assertEquals(
        List.of(Kind.HASH_MISMATCH),
        done.failedFirst().stream().map(a -> a.failure().kind()).toList());
    assertArrayEquals(Files.readAllBytes(original), cached(bob, sent), "seed " + SEED);
  }

  @Test
  void aSubstitutedBlobIsRejectedWithAClearError() throws Exception {
    world = new MediaWorld(dir.resolve("world"), 1, SEED);
    Device alice = world.device("alice");
    FileMetadata real = send(alice, photo(50_000), world.serverUrls());
    FileMetadata other =
        send(
            alice,
            MediaWorld.plaintextFile(dir.resolve("other"), 50_000, SEED + 1, MARKER),
            world.serverUrls());
    // The message names one blob, but its URL serves another.
    FileMetadata substituted =
        new FileMetadata(
            other.url(),
            real.mimeType(),
            real.encryptionAlgorithm(),
            real.decryptionKeyHex(),
            real.decryptionNonceHex(),
            real.encryptedSha256(),
            real.originalSha256(),
            real.encryptedSize(),
            Optional.empty(),
            List.of());

    Device bob = world.device("bob");
    ReceiveResult result =
        await(bob.media().receive(CIRCLE, substituted, List.of(), MediaProgress.NONE));
    ReceiveResult.Unavailable unavailable =
        assertInstanceOf(ReceiveResult.Unavailable.class, result, "seed " + SEED);
    assertEquals(
        List.of(
            new FailedAttempt(
                URI.create(other.url()),
                TransferFailure.of(Kind.HASH_MISMATCH, "the served bytes are not the named blob"))),
        unavailable.attempts());
    assertFalse(bob.cache().contains(CIRCLE, real.encryptedSha256()));
  }

  @Test
  void aBlobThatDoesNotDecryptToTheMessagesFileIsRejected() throws Exception {
    world = new MediaWorld(dir.resolve("world"), 1, SEED);
    FileMetadata sent = send(world.device("alice"), photo(10_000), world.serverUrls());
    FileMetadata wrongOx =
        new FileMetadata(
            sent.url(),
            sent.mimeType(),
            sent.encryptionAlgorithm(),
            sent.decryptionKeyHex(),
            sent.decryptionNonceHex(),
            sent.encryptedSha256(),
            "00".repeat(32),
            sent.encryptedSize(),
            Optional.empty(),
            List.of());
    Device bob = world.device("bob");
    ReceiveResult result =
        await(bob.media().receive(CIRCLE, wrongOx, List.of(), MediaProgress.NONE));
    assertEquals(
        DecryptResult.Reason.ORIGINAL_HASH_MISMATCH,
        assertInstanceOf(ReceiveResult.Rejected.class, result).reason());
    assertFalse(bob.cache().contains(CIRCLE, sent.encryptedSha256()));
    assertNoFiles(bob.home().resolve("cache"));
  }

  @Test
  void whenAServerIsDownTheFileComesFromAnother() throws Exception {
    world = new MediaWorld(dir.resolve("world"), 2, SEED);
    Path original = photo(80_000);
    FileMetadata sent = send(world.device("alice"), original, world.serverUrls());
    world.servers.get(0).stop().toCompletableFuture().join();

    Device bob = world.device("bob");
    ReceiveResult.Received done =
        assertInstanceOf(
            ReceiveResult.Received.class,
            await(bob.media().receive(CIRCLE, sent, List.of(), MediaProgress.NONE)),
            "seed " + SEED);
    assertEquals(Optional.of(URI.create(sent.fallbackUrls().get(0))), done.from());
    assertEquals(
        List.of(Kind.UNREACHABLE),
        done.failedFirst().stream().map(a -> a.failure().kind()).toList());
    assertArrayEquals(Files.readAllBytes(original), cached(bob, sent));
  }

  @Test
  void theSendersServerListIsTheLastFallback() throws Exception {
    world = new MediaWorld(dir.resolve("world"), 2, SEED);
    Path original = photo(20_000);
    FileMetadata sent = send(world.device("alice"), original, world.serverUrls());
    FileMetadata onlyFirst =
        new FileMetadata(
            sent.url(),
            sent.mimeType(),
            sent.encryptionAlgorithm(),
            sent.decryptionKeyHex(),
            sent.decryptionNonceHex(),
            sent.encryptedSha256(),
            sent.originalSha256(),
            sent.encryptedSize(),
            Optional.empty(),
            List.of());
    world.servers.get(0).stop().toCompletableFuture().join();

    Device bob = world.device("bob");
    ReceiveResult.Received done =
        assertInstanceOf(
            ReceiveResult.Received.class,
            await(
                bob.media()
                    .receive(CIRCLE, onlyFirst, List.of(world.server(1)), MediaProgress.NONE)));
    assertEquals(
        world.server(1).toString(),
        done.from().orElseThrow().toString().substring(0, world.server(1).toString().length()));
    assertArrayEquals(Files.readAllBytes(original), cached(bob, sent));
  }

  @Test
  void deletionIsConfirmedPerServer() throws Exception {
    world = new MediaWorld(dir.resolve("world"), 3, SEED);
    Device alice = world.device("alice");
    FileMetadata sent = send(alice, photo(30_000), world.serverUrls().subList(0, 2));
    world.servers.get(2).stop().toCompletableFuture().join();

    Device bob = world.device("bob");
    await(bob.media().receive(CIRCLE, sent, List.of(), MediaProgress.NONE));
    DeleteReport refused = await(bob.media().delete(CIRCLE, BOB, sent, List.of()));
    assertEquals(
        List.of(Outcome.REFUSED, Outcome.REFUSED),
        refused.servers().stream().map(DeleteReport.ServerDeletion::outcome).toList(),
        "Bob did not upload it");
    assertFalse(
        bob.cache().contains(CIRCLE, sent.encryptedSha256()), "Bob's copy is dropped anyway");

    DeleteReport report = await(alice.media().delete(CIRCLE, ALICE, sent, world.serverUrls()));
    assertEquals(
        List.of(world.server(0), world.server(1), world.server(2)),
        report.servers().stream().map(DeleteReport.ServerDeletion::server).toList());
    assertEquals(
        List.of(Outcome.DELETED, Outcome.DELETED, Outcome.UNREACHABLE),
        report.servers().stream().map(DeleteReport.ServerDeletion::outcome).toList());
    assertFalse(report.confirmedEverywhere());

    DeleteReport again =
        await(alice.media().delete(CIRCLE, ALICE, sent, world.serverUrls().subList(0, 2)));
    assertEquals(
        List.of(Outcome.ALREADY_ABSENT, Outcome.ALREADY_ABSENT),
        again.servers().stream().map(DeleteReport.ServerDeletion::outcome).toList());
    assertTrue(again.confirmedEverywhere());
    assertInstanceOf(
        ReceiveResult.Unavailable.class,
        await(world.device("carol").media().receive(CIRCLE, sent, List.of(), MediaProgress.NONE)));
  }

  @Test
  void aDeleteWithoutValidAuthorizationIsRefusedWith401() throws Exception {
    world = new MediaWorld(dir.resolve("world"), 1, SEED);
    FileMetadata sent = send(world.device("alice"), photo(1000), world.serverUrls());
    HttpClient http = HttpClient.newBuilder().executor(world.executor).build();
    HttpResponse<Void> response =
        http.send(
            HttpRequest.newBuilder(URI.create(sent.url()))
                .DELETE()
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.discarding());
    assertEquals(401, response.statusCode());
    assertEquals(
        200,
        http.send(
                HttpRequest.newBuilder(URI.create(sent.url())).build(),
                HttpResponse.BodyHandlers.discarding())
            .statusCode());
  }

  @Test
  void noPlaintextRestsAnywhereButWhereTheUserSavedIt() throws Exception {
    world = new MediaWorld(dir.resolve("world"), 2, SEED);
    Path original = photo(3 * EncryptedMediaCache.CHUNK_BYTES + 17);
    FileMetadata sent = send(world.device("alice"), original, world.serverUrls());
    Device bob = world.device("bob");
    await(bob.media().receive(CIRCLE, sent, List.of(), MediaProgress.NONE));
    assertTrue(bob.cache().contains(CIRCLE, sent.encryptedSha256()));

    List<Path> withMarker = filesContaining(dir.resolve("world"), MARKER);
    assertEquals(List.of(), withMarker, "no server, cache or work file holds plaintext");
    assertNoNameContains(
        dir.resolve("world"),
        sent.encryptedSha256().substring(0, 16),
        world.serverDir(0),
        world.serverDir(1));

    Path saved = dir.resolve("world").resolve("saved.jpg");
    bob.media().saveTo(CIRCLE, sent, saved);
    assertEquals(
        List.of(saved),
        filesContaining(dir.resolve("world"), MARKER),
        "the scan does find plaintext");
  }

  @Test
  void removingACircleShredsItsMedia() throws Exception {
    world = new MediaWorld(dir.resolve("world"), 1, SEED);
    FileMetadata sent = send(world.device("alice"), photo(5000), world.serverUrls());
    Device bob = world.device("bob");
    await(bob.media().receive(CIRCLE, sent, List.of(), MediaProgress.NONE));
    await(bob.media().receive("work", sent, List.of(), MediaProgress.NONE));
    bob.media().shred(CIRCLE);
    assertEquals(Optional.empty(), bob.media().open(CIRCLE, sent));
    assertFalse(Files.exists(bob.cache().circleDir(CIRCLE)));
    assertTrue(bob.media().open("work", sent).isPresent(), "other circles keep theirs");
  }

  @Test
  void progressReachesEveryPhasesTotal() throws Exception {
    world = new MediaWorld(dir.resolve("world"), 1, SEED);
    long size = 500_000;
    List<MediaProgress.Update> updates = Collections.synchronizedList(new ArrayList<>());
    SendResult sent =
        await(
            world
                .device("alice")
                .media()
                .send(ALICE, photo(size), "image/jpeg", world.serverUrls(), updates::add));
    FileMetadata file = ((SendResult.Sent) sent).metadata();
    await(world.device("bob").media().receive(CIRCLE, file, List.of(), updates::add));
    for (MediaProgress.Phase phase : MediaProgress.Phase.values()) {
      long expected = phase == MediaProgress.Phase.ENCRYPTING ? size : size + 16;
      MediaProgress.Update last =
          updates.stream()
              .filter(u -> u.phase() == phase)
              .reduce((a, b) -> b.done() >= a.done() ? b : a)
              .orElseThrow();
      assertEquals(expected, last.done(), phase.name());
      assertEquals(expected, last.total(), phase.name());
    }
  }

  @Test
  void anInterruptedUploadResumesServerByServer() throws Exception {
    world = new MediaWorld(dir.resolve("world"), 2, SEED);
    Device alice = world.device("alice");
    Path blob = MediaWorld.plaintextFile(dir.resolve("blob"), 40_000, SEED, MARKER);
    String sha = xchat.protocol.hex.Hex.encode(MediaWorld.sha256(Files.readAllBytes(blob)));
    UploadReport first =
        await(
            alice
                .client()
                .upload(
                    ALICE,
                    blob,
                    sha,
                    "application/octet-stream",
                    world.serverUrls().subList(0, 1),
                    MediaProgress.NONE));
    assertInstanceOf(UploadReport.ServerUpload.Uploaded.class, first.servers().get(0));
    UploadReport second =
        await(
            alice
                .client()
                .upload(
                    ALICE,
                    blob,
                    sha,
                    "application/octet-stream",
                    world.serverUrls(),
                    MediaProgress.NONE));
    assertInstanceOf(UploadReport.ServerUpload.AlreadyStored.class, second.servers().get(0));
    assertInstanceOf(UploadReport.ServerUpload.Uploaded.class, second.servers().get(1));
    assertTrue(second.storedEverywhere());
  }

  @Test
  void uploadToAServerThatIsDownIsReportedAndTheOthersStillGetIt() throws Exception {
    world = new MediaWorld(dir.resolve("world"), 2, SEED);
    world.servers.get(1).stop().toCompletableFuture().join();
    SendResult result =
        await(
            world
                .device("alice")
                .media()
                .send(ALICE, photo(1000), "image/jpeg", world.serverUrls(), MediaProgress.NONE));
    UploadReport report = assertInstanceOf(SendResult.Sent.class, result).report();
    UploadReport.ServerUpload.Failed failed =
        assertInstanceOf(UploadReport.ServerUpload.Failed.class, report.servers().get(1));
    assertEquals(Kind.UNREACHABLE, failed.failure().kind());
    assertEquals(3, failed.attempts());
    assertEquals(List.of(), ((SendResult.Sent) result).metadata().fallbackUrls());
  }

  static List<Path> filesContaining(Path root, byte[] marker) throws IOException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        if (indexOf(Files.readAllBytes(file), marker) >= 0) {
          out.add(file);
        }
      }
    }
    return out;
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  static void assertNoNameContains(Path root, String fragment, Path... except) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      List<Path> named =
          files
              .filter(p -> p.getFileName().toString().contains(fragment))
              .filter(p -> Stream.of(except).noneMatch(p::startsWith))
              .toList();
      assertEquals(List.of(), named, "the blob hash is not visible in cache file names");
    }
  }

  static void assertNoFiles(Path root) throws IOException {
    if (Files.exists(root)) {
      try (Stream<Path> files = Files.walk(root)) {
        assertEquals(List.of(), files.filter(Files::isRegularFile).toList());
      }
    }
  }
}
