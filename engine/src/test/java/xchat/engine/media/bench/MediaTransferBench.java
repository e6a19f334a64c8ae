package xchat.engine.media.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import xchat.engine.media.BlossomClient;
import xchat.engine.media.BlossomClientSettings;
import xchat.engine.media.DownloadResult;
import xchat.engine.media.EncryptedMediaCache;
import xchat.engine.media.MediaProgress;
import xchat.engine.media.UploadReport;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.media.DecryptResult;
import xchat.protocol.media.EncryptedMedia;
import xchat.protocol.media.MediaCipher;
import xchat.protocol.media.TransferProgress;
import xchat.relay.blossom.BlossomConfig;
import xchat.relay.blossom.BlossomServer;

/**
 * Media throughput on loopback, each stage against a plain copy of the same bytes in the same run,
 * and the heap while a large file goes through. Run after {@code mvn -pl engine -am test-compile}:
 *
 * <pre>
 * mvn -q -o -pl engine dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test
 * java -Xmx128m -cp engine/target/test-classes:engine/target/classes:$(cat cp.txt) \
 *     xchat.engine.media.bench.MediaTransferBench 1073741824 [workDir]
 * </pre>
 *
 * A 1 GB transfer finishing under {@code -Xmx128m} is itself the proof that nothing holds it whole.
 */
public final class MediaTransferBench {
  private static final long SEED = 0xbe4c4L;

  private MediaTransferBench() {}

  public static void main(String[] args) throws Exception {
    long size = args.length > 0 ? Long.parseLong(args[0]) : 256L * 1024 * 1024;
    Path work =
        args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("xchat-media-bench-");
    HeapWatch heap = HeapWatch.start();
    ExecutorService executor =
        Executors.newFixedThreadPool(
            4,
            runnable -> {
              Thread thread = new Thread(runnable, "bench");
              thread.setDaemon(true);
              return thread;
            });
    BlossomServer server =
        BlossomServer.start(
            BlossomConfig.defaults(work.resolve("server")).withMaxBlobBytes(Long.MAX_VALUE / 2),
            "127.0.0.1",
            0);
    try {
      Path original = work.resolve("original");
      writeRandom(original, size, SEED);
      System.out.printf(
          "size %d bytes (%.1f MiB), max heap %d MiB, seed %d%n",
          size, size / 1048576.0, Runtime.getRuntime().maxMemory() >> 20, SEED);

      System.out.printf(
          "load average %.2f on %d cores%n",
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
          Runtime.getRuntime().availableProcessors());
      processCpuNanosReset();
      long t = System.nanoTime();
      Files.copy(original, work.resolve("copy"));
      report("plain file copy", size, System.nanoTime() - t);
      Files.delete(work.resolve("copy"));

      Path blob = work.resolve("blob");
      t = System.nanoTime();
      EncryptedMedia media =
          MediaCipher.encrypt(original, blob, seeded(SEED), TransferProgress.NONE);
      report("encrypt (AES-256-GCM + x, ox)", size, System.nanoTime() - t);

      Secp256k1 curve = Secp256k1.defaultBackend();
      KeyPair alice = KeyPair.generate(new Random(SEED), curve);
      BlossomClient client =
          new BlossomClient(
              executor,
              BlossomClientSettings.defaults(),
              Clock.systemUTC(),
              curve,
              seeded(SEED + 1));
      t = System.nanoTime();
      UploadReport upload =
          client
              .upload(
                  alice,
                  blob,
                  media.ciphertextSha256(),
                  "application/octet-stream",
                  List.of(server.url()),
                  MediaProgress.NONE)
              .get(30, TimeUnit.MINUTES);
      report("upload (PUT, server hashes + fsyncs)", size, System.nanoTime() - t);
      if (!upload.storedEverywhere()) {
        throw new IllegalStateException("upload failed: " + upload);
      }

      Path downloaded = work.resolve("downloaded");
      t = System.nanoTime();
      DownloadResult download =
          client
              .download(
                  media.ciphertextSha256(),
                  OptionalLong.of(media.ciphertextSize()),
                  List.of(URI.create(server.url() + "/" + media.ciphertextSha256())),
                  downloaded,
                  MediaProgress.NONE)
              .get(30, TimeUnit.MINUTES);
      report("download (GET, client hashes x)", size, System.nanoTime() - t);
      if (!(download instanceof DownloadResult.Downloaded)) {
        throw new IllegalStateException("download failed: " + download);
      }

      byte[] circleKey = new byte[32];
      seeded(SEED + 2).nextBytes(circleKey);
      EncryptedMediaCache cache =
          new EncryptedMediaCache(work.resolve("cache"), c -> circleKey.clone(), seeded(SEED + 3));
      t = System.nanoTime();
      DecryptResult result;
      try (InputStream in = Files.newInputStream(downloaded);
          EncryptedMediaCache.Writer out = cache.create("bench", media.ciphertextSha256())) {
        result =
            MediaCipher.decrypt(
                in,
                new MediaCipher.Expected(
                    media.key(),
                    media.ciphertextSha256(),
                    media.originalSha256(),
                    OptionalLong.of(media.ciphertextSize())),
                out,
                size,
                TransferProgress.NONE);
        if (!(result instanceof DecryptResult.Decrypted)) {
          throw new IllegalStateException("decryption failed: " + result);
        }
        out.commit();
      }
      report("decrypt + verify into encrypted cache", size, System.nanoTime() - t);

      t = System.nanoTime();
      long read;
      try (InputStream in = cache.open("bench", media.ciphertextSha256()).orElseThrow()) {
        read = in.transferTo(OutputStream.nullOutputStream());
      }
      report("read back from encrypted cache", read, System.nanoTime() - t);

      heap.stop();
      System.out.printf(
          "heap: peak used %d MiB (sampled every 5 ms), peak pool usage sum %d MiB, "
              + "max live after GC %d MiB, %d GCs%n",
          heap.sampledPeak.get() >> 20,
          heap.poolPeaks() >> 20,
          heap.maxAfterGc.get() >> 20,
          heap.collections.get());
    } finally {
      server.stop().toCompletableFuture().join();
      executor.shutdownNow();
      deleteTree(work);
    }
  }

  private static long lastCpu = processCpuNanos();

  /** Wall time and MB/s, with the process CPU time spent meanwhile (both cores count). */
  private static void report(String stage, long bytes, long nanos) {
    double seconds = nanos / 1e9;
    long cpu = processCpuNanos();
    System.out.printf(
        "%-40s %7.2f s %8.1f MB/s  cpu %6.2f s%n",
        stage, seconds, bytes / 1e6 / seconds, (cpu - lastCpu) / 1e9);
    lastCpu = cpu;
  }

  private static void processCpuNanosReset() {
    lastCpu = processCpuNanos();
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static SecureRandom seeded(long seed) throws Exception {
    SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
    random.setSeed(seed);
    return random;
  }

  private static void writeRandom(Path file, long size, long seed) throws IOException {
    Random random = new Random(seed);
    byte[] block = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long left = size; left > 0; left -= block.length) {
        random.nextBytes(block);
        out.write(block, 0, (int) Math.min(left, block.length));
      }
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    }
  }

  /** Peak heap: sampled, per-pool peaks, and the live set after each collection. */
  private static final class HeapWatch {
    final AtomicLong sampledPeak = new AtomicLong();
    final AtomicLong maxAfterGc = new AtomicLong();
    final AtomicLong collections = new AtomicLong();
    private volatile boolean running = true;

    static HeapWatch start() {
      HeapWatch watch = new HeapWatch();
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        pool.resetPeakUsage();
      }
      for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        ((NotificationEmitter) gc)
            .addNotificationListener(
                (notification, handback) -> {
                  if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                      notification.getType())) {
                    return;
                  }
                  GarbageCollectionNotificationInfo info =
                      GarbageCollectionNotificationInfo.from(
                          (CompositeData) notification.getUserData());
                  long used = 0;
                  for (Map.Entry<String, MemoryUsage> pool :
                      info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                    if (isHeap(pool.getKey())) {
                      used += pool.getValue().getUsed();
                    }
                  }
                  watch.collections.incrementAndGet();
                  watch.maxAfterGc.accumulateAndGet(used, Math::max);
                },
                null,
                null);
      }
      Thread sampler =
          new Thread(
              () -> {
                while (watch.running) {
                  long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                  watch.sampledPeak.accumulateAndGet(used, Math::max);
                  java.util.concurrent.locks.LockSupport.parkNanos(5_000_000); // sampling period
                  if (Thread.interrupted()) {
                    return;
                  }
                }
              },
              "heap-sampler");
      sampler.setDaemon(true);
      sampler.start();
      return watch;
    }

    void stop() {
      running = false;
    }

    long poolPeaks() {
      long sum = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP) {
          sum += pool.getPeakUsage().getUsed();
        }
      }
      return sum;
    }

    private static boolean isHeap(String poolName) {
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getName().equals(poolName)) {
          return pool.getType() == MemoryType.HEAP;
        }
      }
      return false;
    }
  }
}
