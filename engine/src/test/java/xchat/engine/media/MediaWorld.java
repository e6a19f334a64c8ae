package xchat.engine.media;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.keys.SecretKey;
import xchat.relay.blossom.BlossomConfig;
import xchat.relay.blossom.BlossomServer;

/**
 * Blossom servers on loopback, an executor, and devices with their own encrypted caches: the world
 * the media tests and the benchmark run in.
 */
final class MediaWorld implements AutoCloseable {
  static final Secp256k1 CURVE = Secp256k1.defaultBackend();

  final Path root;
  final long seed;
  final ExecutorService executor;
  final List<BlossomServer> servers = new ArrayList<>();
  private final AtomicInteger devices = new AtomicInteger();

  MediaWorld(Path root, int serverCount, long seed) {
    this.root = root;
    this.seed = seed;
    AtomicInteger threads = new AtomicInteger();
    this.executor =
        Executors.newFixedThreadPool(
            4,
            runnable -> {
              Thread thread = new Thread(runnable, "media-test-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    for (int i = 0; i < serverCount; i++) {
      servers.add(
          BlossomServer.start(
              BlossomConfig.defaults(root.resolve("server-" + i)).withSyncWrites(false),
              "127.0.0.1",
              0));
    }
  }

  URI server(int index) {
    return servers.get(index).url();
  }

  List<URI> serverUrls() {
    return servers.stream().map(BlossomServer::url).toList();
  }

  Path serverDir(int index) {
    return root.resolve("server-" + index);
  }

  static SecureRandom seeded(long seed) {
    try {
      SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
      random.setSeed(seed); // before any output, so the stream is fixed by the seed
      return random;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static KeyPair keys(String label) {
    return KeyPair.of(
        SecretKey.of(sha256(("xchat test key " + label).getBytes(StandardCharsets.UTF_8)), CURVE),
        CURVE);
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  BlossomClient client(BlossomClientSettings settings) {
    return new BlossomClient(executor, settings, Clock.systemUTC(), CURVE, seeded(seed + 1));
  }

  static BlossomClientSettings fastRetries() {
    return BlossomClientSettings.defaults()
        .withBackoff(Duration.ofMillis(10), Duration.ofMillis(50))
        .withConnectTimeout(Duration.ofSeconds(2));
  }

  /** One device: its own cache (with its own circle keys) and work directory. */
  Device device(String name) {
    int number = devices.incrementAndGet();
    Path home = root.resolve("device-" + name);
    SecureRandom random = seeded(seed + 100 + number);
    Map<String, byte[]> circleKeys = new HashMap<>();
    CacheKeyProvider provider =
        circle -> {
          synchronized (circleKeys) {
            return circleKeys
                .computeIfAbsent(
                    circle,
                    c -> {
                      byte[] key = new byte[32];
                      random.nextBytes(key);
                      return key;
                    })
                .clone();
          }
        };
    EncryptedMediaCache cache =
        new EncryptedMediaCache(home.resolve("cache"), provider, seeded(seed + 200 + number));
    BlossomClient client = client(fastRetries());
    MediaService service =
        new MediaService(
            client, cache, home.resolve("work"), seeded(seed + 300 + number), executor);
    return new Device(home, cache, client, service);
  }

  record Device(Path home, EncryptedMediaCache cache, BlossomClient client, MediaService media) {}

  @Override
  public void close() {
    for (BlossomServer server : servers) {
      server.stop().toCompletableFuture().join();
    }
    executor.shutdownNow();
  }

  /** Writes {@code size} bytes: the marker, then seeded random bytes, marker again every 1 MiB. */
  static Path plaintextFile(Path file, long size, long seed, byte[] marker) throws IOException {
    java.util.Random random = new java.util.Random(seed);
    byte[] block = new byte[1024 * 1024];
    try (var out = Files.newOutputStream(file)) {
      long left = size;
      while (left > 0) {
        random.nextBytes(block);
        System.arraycopy(marker, 0, block, 0, Math.min(marker.length, block.length));
        int n = (int) Math.min(left, block.length);
        out.write(block, 0, n);
        left -= n;
      }
    }
    return file;
  }
}
