package xchat.cli.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import xchat.engine.api.FileResult;
import xchat.engine.api.FileSendResult;
import xchat.engine.api.Message;
import xchat.engine.api.SendOutcome;
import xchat.engine.api.XChat;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.keys.KeyPair;
import xchat.relay.server.RelayConfig;
import xchat.relay.server.RelayServer;

/**
 * Files through the public API on loopback: {@code sendFile} (encrypt, upload to the relay's Blossom
 * server, queue the kind-15 message) and {@code getFile} (download, verify, decrypt into the
 * encrypted cache, write the target; then again from the cache), each next to a plain copy of the
 * same bytes in the same run, with the heap's peak while each runs.
 */
public final class MediaBench {
  static final Secp256k1 CURVE = Secp256k1.defaultBackend();
  private static final String CIRCLE = "bench";

  public record Options(long bytes, long seed) {
    public Options {
      if (bytes < 1) {
        throw new IllegalArgumentException("the file size is at least one byte");
      }
    }
  }

  /** One timed step: its bytes, seconds, and the largest heap in use while it ran. */
  public record Step(String name, long bytes, double seconds, long peakHeapBytes) {
    double megabytesPerSecond() {
      return bytes / 1e6 / seconds;
    }
  }

  public record Result(long maxHeapBytes, long idleHeapBytes, List<Step> steps) {}

  private final Options options;
  private final Progress progress;
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

  public MediaBench(Options options, Progress progress) {
    this.options = options;
    this.progress = progress;
  }

  public Result measure() throws Exception {
    SplittableRandom random = new SplittableRandom(options.seed());
    KeyPair alice = KeyPair.generate(random.split(), CURVE);
    KeyPair bob = KeyPair.generate(random.split(), CURVE);
    RelayServer relay = RelayServer.start(RelayConfig.ephemeral());
    List<Step> steps = new ArrayList<>();
    try (BenchHome home = new BenchHome("media")) {
      Path plain = home.root.resolve("plain.bin");
      progress.phase(String.format("writing %,d seeded bytes", options.bytes()));
      write(plain, options.bytes(), options.seed());
      XChat sender = home.open("alice", alice, random);
      XChat receiver = home.open("bob", bob, random);
      try {
        String blossom = relay.url().replace("ws://", "http://");
        sender.createCircle(CIRCLE, List.of(relay.url()));
        receiver.createCircle(CIRCLE, List.of(relay.url()));
        sender.setFileServers(CIRCLE, List.of(blossom));
        long idle = settledHeap();

        steps.add(timed("plain copy", options.bytes(), () -> {
          Files.copy(plain, home.root.resolve("copy.bin"));
          return null;
        }));
        Files.delete(home.root.resolve("copy.bin"));

        progress.phase("send-file: encrypt and upload");
        FileSendResult[] sent = new FileSendResult[1];
        steps.add(timed("send-file (encrypt + upload)", options.bytes(), () -> {
          sent[0] = sender.sendFile(CIRCLE, List.of(receiver.publicKeyHex()), plain, "application/octet-stream")
              .toCompletableFuture().get(1, TimeUnit.HOURS);
          return null;
        }));
        if (!(sent[0] instanceof FileSendResult.Sent ok)) {
          throw new IllegalStateException("the upload failed: " + sent[0].servers());
        }
        SendOutcome outcome = ok.message().outcome().toCompletableFuture().get(2, TimeUnit.MINUTES);
        if (outcome instanceof SendOutcome.Failed failed) {
          throw new IllegalStateException("the file message failed: " + failed.reason());
        }
        String id = ok.message().messageId();
        progress.phase("waiting for the file message");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (receiver.messages(CIRCLE).stream().map(Message::id).noneMatch(id::equals)) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("the file message did not arrive within 2 minutes");
          }
          receiver.sync(CIRCLE, java.time.Duration.ofSeconds(30)).toCompletableFuture().get(1, TimeUnit.MINUTES);
        }

        progress.phase("get-file: download, verify, decrypt into the cache, write");
        Path first = home.root.resolve("received.bin");
        steps.add(timed("get-file (download + verify + decrypt)", options.bytes(), () -> {
          saved(receiver.getFile(CIRCLE, id, first).toCompletableFuture().get(1, TimeUnit.HOURS));
          return null;
        }));
        Files.delete(first);
        progress.phase("get-file again: from the encrypted cache");
        Path second = home.root.resolve("again.bin");
        steps.add(timed("get-file from the encrypted cache", options.bytes(), () -> {
          saved(receiver.getFile(CIRCLE, id, second).toCompletableFuture().get(1, TimeUnit.HOURS));
          return null;
        }));
        if (Files.mismatch(plain, second) != -1) {
          throw new IllegalStateException("the received file differs from the sent one");
        }
        progress.done();
        return new Result(Runtime.getRuntime().maxMemory(), idle, steps);
      } finally {
        sender.close();
        receiver.close();
      }
    } finally {
      relay.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static void saved(FileResult result) {
    if (!(result instanceof FileResult.Saved)) {
      throw new IllegalStateException("get-file failed: " + result);
    }
  }

  /** Runs {@code step}, sampling the heap in use every 5 ms from a thread of its own. */
  private Step timed(String name, long bytes, Callable<Void> step) throws Exception {
    settledHeap();
    AtomicLong peak = new AtomicLong(memory.getHeapMemoryUsage().getUsed());
    ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "bench-heap-sampler");
      thread.setDaemon(true);
      return thread;
    });
    sampler.scheduleAtFixedRate(() -> peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max),
        0, 5, TimeUnit.MILLISECONDS);
    long start = System.nanoTime();
    try {
      step.call();
    } finally {
      sampler.shutdownNow();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Step(name, bytes, seconds, peak.get());
  }

  /** The heap in use once a collection has run: the floor the peaks are read against. */
  private long settledHeap() {
    memory.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }

  private static void write(Path file, long size, long seed) throws IOException {
    Random random = new Random(seed);
    byte[] block = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long left = size; left > 0; ) {
        random.nextBytes(block);
        int n = (int) Math.min(left, block.length);
        out.write(block, 0, n);
        left -= n;
      }
    }
  }

  public BenchReport report(Result result, String command) {
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("bytes", options.bytes());
    parameters.put("seed", options.seed());
    parameters.put("max heap (MB)", result.maxHeapBytes() / 1_000_000);
    double copy = result.steps().get(0).megabytesPerSecond();
    List<List<Object>> rows = new ArrayList<>();
    List<BenchReport.Bar> rates = new ArrayList<>();
    List<BenchReport.Bar> heaps = new ArrayList<>();
    for (Step step : result.steps()) {
      double rate = step.megabytesPerSecond();
      rows.add(List.of(step.name(), step.bytes() / 1_000_000.0, step.seconds(), rate, rate / copy,
          step.peakHeapBytes() / 1_000_000.0));
      rates.add(new BenchReport.Bar(step.name(), "MB/s", rate));
      heaps.add(new BenchReport.Bar(step.name(), "peak heap", step.peakHeapBytes() / 1_000_000.0));
    }
    return new BenchReport("media", "xchat bench media: encrypted files through Blossom on loopback", command,
        parameters, Machine.describe(),
        List.of(new BenchReport.Table("throughput and heap, " + options.bytes() / 1_000_000 + " MB",
            List.of("step", "size", "time", "rate", "of copy", "peak heap"),
            List.of("", "MB", "s", "MB/s", "x", "MB"), rows)),
        List.of(new BenchReport.Chart("Throughput", "MB/s", rates), new BenchReport.Chart("Peak heap in use", "MB", heaps)),
        List.of("The relay and its Blossom server, both engines and the plain copy run in this process on loopback, "
                + "on the same disk; the relay fsyncs each blob.",
            "send-file is timed until the kind-15 message is queued: AES-256-GCM encryption to a work file, "
                + "then the streamed upload; get-file until the file is written: download, SHA-256 of the blob, "
                + "decryption into the encrypted cache, SHA-256 of the plaintext, decryption from the cache into "
                + "the target.",
            "Peak heap is the largest heap in use sampled every 5 ms during the step (after a GC before it; "
                + "idle heap " + result.idleHeapBytes() / 1_000_000 + " MB); it includes garbage not yet "
                + "collected, so it is an upper bound on what the transfer holds."));
  }
}
