package xchat.engine.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncryptedMediaCacheTest {
  static final long SEED = 0xcac4eL;
  static final int CHUNK = EncryptedMediaCache.CHUNK_BYTES;
  static final String ENTRY = "ab".repeat(32);

  @TempDir Path dir;
  final Map<String, byte[]> keys = new HashMap<>();

  EncryptedMediaCache cache() {
    return new EncryptedMediaCache(
        dir.resolve("cache"),
        circle ->
            keys.computeIfAbsent(
                    circle,
                    c -> {
                      byte[] key = new byte[32];
                      new Random(SEED + c.hashCode()).nextBytes(key);
                      return key;
                    })
                .clone(),
        MediaWorld.seeded(SEED));
  }

  static byte[] bytes(long seed, int size) {
    byte[] out = new byte[size];
    new Random(seed).nextBytes(out);
    return out;
  }

  void put(EncryptedMediaCache cache, String circle, String entry, byte[] plaintext)
      throws IOException {
    try (EncryptedMediaCache.Writer writer = cache.create(circle, entry)) {
      // odd-sized writes, so chunk boundaries fall inside them
      for (int at = 0; at < plaintext.length; at += 1000) {
        writer.write(plaintext, at, Math.min(1000, plaintext.length - at));
      }
      writer.commit();
    }
  }

  byte[] read(EncryptedMediaCache cache, String circle, String entry) throws IOException {
    try (InputStream in = cache.open(circle, entry).orElseThrow()) {
      return in.readAllBytes();
    }
  }

  Path onlyFile(EncryptedMediaCache cache, String circle) throws IOException {
    try (Stream<Path> files = Files.list(cache.circleDir(circle))) {
      List<Path> all = files.toList();
      assertEquals(1, all.size());
      return all.get(0);
    }
  }

  @Test
  void roundTripsEverySizeAroundChunkBoundaries() throws Exception {
    EncryptedMediaCache cache = cache();
    for (int size : new int[] {0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 3 * CHUNK + 7}) {
      byte[] plaintext = bytes(SEED + size, size);
      put(cache, "c", ENTRY + size, plaintext);
      assertArrayEquals(
          plaintext, read(cache, "c", ENTRY + size), "size " + size + " seed " + SEED);
    }
  }

  @Test
  void storesNeitherThePlaintextNorTheEntryIdInTheClear() throws Exception {
    EncryptedMediaCache cache = cache();
    byte[] plaintext =
        "a very recognisable plaintext".repeat(5000).getBytes(StandardCharsets.UTF_8);
    put(cache, "family", ENTRY, plaintext);
    Path file = onlyFile(cache, "family");
    byte[] stored = Files.readAllBytes(file);
    assertEquals(
        -1, MediaServiceTest.indexOf(stored, "recognisable".getBytes(StandardCharsets.UTF_8)));
    assertFalse(file.toString().contains(ENTRY.substring(0, 8)));
    assertFalse(file.toString().contains("family"));
  }

  @Test
  void detectsAnAlteredByte() throws Exception {
    EncryptedMediaCache cache = cache();
    put(cache, "c", ENTRY, bytes(SEED, 2 * CHUNK + 5));
    Path file = onlyFile(cache, "c");
    byte[] stored = Files.readAllBytes(file);
    stored[CHUNK + 100] ^= 1;
    Files.write(file, stored);
    assertThrows(CacheCorruptedException.class, () -> read(cache, "c", ENTRY));
  }

  @Test
  void detectsAFileCutAtAChunkBoundary() throws Exception {
    EncryptedMediaCache cache = cache();
    put(cache, "c", ENTRY, bytes(SEED, 2 * CHUNK + 5));
    Path file = onlyFile(cache, "c");
    byte[] stored = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(stored, 36 + 2 * (CHUNK + 16)));
    assertThrows(CacheCorruptedException.class, () -> read(cache, "c", ENTRY));
    Files.write(file, Arrays.copyOf(stored, 36 + CHUNK + 16));
    assertThrows(CacheCorruptedException.class, () -> read(cache, "c", ENTRY));
  }

  @Test
  void detectsAnEntrySwappedForAnother() throws Exception {
    EncryptedMediaCache cache = cache();
    put(cache, "c", ENTRY, bytes(SEED, 100));
    put(cache, "c", "other", bytes(SEED + 1, 100));
    Path dirOfCircle = cache.circleDir("c");
    try (Stream<Path> files = Files.list(dirOfCircle)) {
      List<Path> both = files.toList();
      byte[] first = Files.readAllBytes(both.get(0));
      Files.write(both.get(0), Files.readAllBytes(both.get(1)));
      Files.write(both.get(1), first);
    }
    assertThrows(CacheCorruptedException.class, () -> read(cache, "c", ENTRY));
  }

  @Test
  void anotherCirclesKeyFindsNothing() throws Exception {
    EncryptedMediaCache cache = cache();
    put(cache, "c", ENTRY, bytes(SEED, 100));
    assertEquals(Optional.empty(), cache.open("d", ENTRY));
  }

  @Test
  void anUncommittedEntryLeavesNothing() throws Exception {
    EncryptedMediaCache cache = cache();
    try (EncryptedMediaCache.Writer writer = cache.create("c", ENTRY)) {
      writer.write(bytes(SEED, 5 * CHUNK));
    }
    assertFalse(cache.contains("c", ENTRY));
    try (Stream<Path> files = Files.list(cache.circleDir("c"))) {
      assertEquals(0, files.count());
    }
  }

  @Test
  void removeAndShredDeleteTheFiles() throws Exception {
    EncryptedMediaCache cache = cache();
    put(cache, "c", ENTRY, bytes(SEED, 10));
    put(cache, "c", "second", bytes(SEED, 10));
    put(cache, "d", ENTRY, bytes(SEED, 10));
    assertTrue(cache.remove("c", ENTRY));
    assertFalse(cache.remove("c", ENTRY));
    assertTrue(cache.contains("c", "second"));
    cache.shred("c");
    assertFalse(Files.exists(cache.circleDir("c")));
    assertTrue(cache.contains("d", ENTRY));
    keys.clear();
    cache.shred("d"); // needs no key
    assertFalse(Files.exists(cache.circleDir("d")));
  }
}
