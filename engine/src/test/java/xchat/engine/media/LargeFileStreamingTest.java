package xchat.engine.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xchat.engine.media.MediaWorld.Device;
import xchat.protocol.nip17.FileMetadata;

/**
 * A large file end to end: encrypt, upload, download, verify, decrypt into the cache, save. The
 * size is {@code -Dxchat.media.streamBytes} (64 MiB by default, to keep the build quick); the
 * benchmark {@code MediaTransferBench} runs 1 GB and measures the heap.
 */
class LargeFileStreamingTest {
  static final long SEED = 0x1a76eL;
  static final long SIZE = Long.getLong("xchat.media.streamBytes", 64L * 1024 * 1024);
  static final String CIRCLE = "c";

  @TempDir Path dir;

  @Test
  void aLargeFileStreamsThroughEveryStage() throws Exception {
    byte[] marker = "LARGE-FILE-MARKER".getBytes(StandardCharsets.US_ASCII);
    try (MediaWorld world = new MediaWorld(dir.resolve("world"), 1, SEED)) {
      Path original = MediaWorld.plaintextFile(dir.resolve("original"), SIZE, SEED, marker);
      Device alice = world.device("alice");
      SendResult sent =
          alice
              .media()
              .send(
                  MediaWorld.keys("alice"),
                  original,
                  "video/mp4",
                  world.serverUrls(),
                  MediaProgress.NONE)
              .get(10, TimeUnit.MINUTES);
      FileMetadata file = assertInstanceOf(SendResult.Sent.class, sent, "seed " + SEED).metadata();
      assertEquals(SIZE + 16, file.encryptedSize());

      Device bob = world.device("bob");
      ReceiveResult received =
          bob.media()
              .receive(CIRCLE, file, List.of(), MediaProgress.NONE)
              .get(10, TimeUnit.MINUTES);
      assertEquals(
          SIZE, assertInstanceOf(ReceiveResult.Received.class, received, "seed " + SEED).size());
      Path saved = dir.resolve("saved");
      bob.media().saveTo(CIRCLE, file, saved);
      assertArrayEquals(sha256(original), sha256(saved), "size " + SIZE + " seed " + SEED);
    }
  }

  static byte[] sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      int read;
      while ((read = in.read(buffer)) != -1) {
        digest.update(buffer, 0, read);
      }
      return digest.digest();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
