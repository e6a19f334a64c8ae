package xchat.relay.blossom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xchat.protocol.keys.KeyPair;
import xchat.relay.blossom.BlobStore.Release;
import xchat.relay.blossom.BlobStore.StoredBlob;

class BlobStoreTest {
  static final KeyPair ALICE = BlossomTestKeys.keys("alice");
  static final KeyPair BOB = BlossomTestKeys.keys("bob");
  static final byte[] BYTES = "ciphertext".getBytes(StandardCharsets.UTF_8);
  static final String SHA = BlossomTestKeys.sha256(BYTES);

  @TempDir Path dir;

  Path upload(BlobStore store) throws Exception {
    return Files.write(store.newIncomingFile(), BYTES);
  }

  @Test
  void namesABlobByItsHashAndRemembersItsOwners() throws Exception {
    BlobStore store = BlobStore.open(dir, false);
    store.commit(
        upload(store), SHA, BYTES.length, "application/octet-stream", ALICE.publicKey(), 10);
    StoredBlob stored =
        store.commit(upload(store), SHA, BYTES.length, "image/png", BOB.publicKey(), 20);
    assertEquals(Map.of(ALICE.publicKey().hex(), 10L, BOB.publicKey().hex(), 20L), stored.owners());
    assertEquals("application/octet-stream", stored.type(), "the first upload's type stays");
    assertArrayEquals(BYTES, Files.readAllBytes(store.blobPath(SHA)));
    try (var parts = Files.list(dir.resolve("incoming"))) {
      assertEquals(0, parts.count(), "the duplicate upload was dropped");
    }
  }

  @Test
  void theLastOwnerTakesTheBytesWithIt() throws Exception {
    BlobStore store = BlobStore.open(dir, false);
    store.commit(
        upload(store), SHA, BYTES.length, "application/octet-stream", ALICE.publicKey(), 10);
    store.commit(upload(store), SHA, BYTES.length, "application/octet-stream", BOB.publicKey(), 20);
    assertEquals(Release.NOT_FOUND, store.release("00".repeat(32), ALICE.publicKey()));
    assertEquals(Release.NOT_OWNER, store.release(SHA, BlossomTestKeys.keys("carol").publicKey()));
    assertEquals(Release.RELEASED, store.release(SHA, ALICE.publicKey()));
    assertTrue(Files.exists(store.blobPath(SHA)));
    assertEquals(Release.NOT_OWNER, store.release(SHA, ALICE.publicKey()));
    assertEquals(Release.DELETED, store.release(SHA, BOB.publicKey()));
    assertFalse(Files.exists(store.blobPath(SHA)));
    assertEquals(Optional.empty(), store.find(SHA));
  }

  @Test
  void reopeningKeepsBlobsAndDropsWhatNoUploadFinished() throws Exception {
    BlobStore store = BlobStore.open(dir, true);
    store.commit(upload(store), SHA, BYTES.length, "text/plain", ALICE.publicKey(), 10);
    Path unfinished = upload(store);
    String orphan = "ab".repeat(32);
    Files.write(dir.resolve("blobs").resolve(orphan), BYTES);
    BlobStore reopened = BlobStore.open(dir, true);
    assertEquals(
        Optional.of(
            new StoredBlob(SHA, BYTES.length, "text/plain", Map.of(ALICE.publicKey().hex(), 10L))),
        reopened.find(SHA));
    assertFalse(Files.exists(unfinished));
    assertFalse(Files.exists(dir.resolve("blobs").resolve(orphan)));
    assertEquals(1, reopened.size());
  }

  @Test
  void listsAnOwnersBlobsWithinTheWindowOldestFirst() throws Exception {
    BlobStore store = BlobStore.open(dir, false);
    byte[] other = "second".getBytes(StandardCharsets.UTF_8);
    String otherSha = BlossomTestKeys.sha256(other);
    store.commit(upload(store), SHA, BYTES.length, "text/plain", ALICE.publicKey(), 30);
    store.commit(
        Files.write(store.newIncomingFile(), other),
        otherSha,
        other.length,
        "text/plain",
        ALICE.publicKey(),
        10);
    store.commit(upload(store), SHA, BYTES.length, "text/plain", BOB.publicKey(), 50);
    assertEquals(
        List.of(otherSha, SHA),
        store.listOwnedBy(ALICE.publicKey(), 0, Long.MAX_VALUE, 10).stream()
            .map(StoredBlob::sha256)
            .toList());
    assertEquals(
        List.of(SHA),
        store.listOwnedBy(ALICE.publicKey(), 11, 30, 10).stream().map(StoredBlob::sha256).toList());
    assertEquals(
        List.of(otherSha),
        store.listOwnedBy(ALICE.publicKey(), 0, Long.MAX_VALUE, 1).stream()
            .map(StoredBlob::sha256)
            .toList());
  }
}
