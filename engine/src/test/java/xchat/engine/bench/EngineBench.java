package xchat.engine.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import xchat.engine.api.EngineEvent;
import xchat.engine.api.MessageHandle;
import xchat.engine.api.SendOutcome;
import xchat.engine.api.XChat;
import xchat.engine.api.XChatConfig;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.Rumor;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.keys.PublicKey;
import xchat.protocol.nip17.ChatRumors;
import xchat.protocol.nip59.GiftWrap;
import xchat.protocol.nip59.UnwrapFloor;
import xchat.protocol.nip59.UnwrapResult;
import xchat.protocol.nip59.Unwrapper;
import xchat.relay.server.RelayConfig;
import xchat.relay.server.RelayLimits;
import xchat.relay.server.RelayServer;
import xchat.relay.store.Durability;

/**
 * End-to-end figures for the engine, on loopback:
 *
 * <ol>
 *   <li>ingest: gift wraps from a local relay into the encrypted log (connect, REQ/NIP-77, parse,
 *       dedup, verify, unwrap, route, one atomic batch per group, notify), in wraps/s, next to the
 *       crypto floor measured in the same run (2 verifies + 1 ECDH + 2 NIP-44 decrypts per wrap,
 *       seal key cached), on 1 thread and on every core;
 *   <li>send: time from {@code send} to SENT (every copy accepted by a relay), p50 and p99.
 * </ol>
 *
 * Run: {@code java -cp engine/target/test-classes:engine/target/classes:$(cat engine/cp.txt)
 * xchat.engine.bench.EngineBench [wraps] [sends]}.
 */
public final class EngineBench {
  static final Secp256k1 CURVE = Secp256k1.defaultBackend();
  static final char[] PASSPHRASE = "bench".toCharArray();

  public static void main(String[] args) throws Exception {
    int wraps = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int sends = args.length > 1 ? Integer.parseInt(args[1]) : 300;
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 42;
    int cores = Runtime.getRuntime().availableProcessors();
    System.out.printf("engine bench: %d wraps, %d sends, seed %d, %d cores%n", wraps, sends, seed, cores);
    Path root = Files.createTempDirectory("xchat-bench-");
    RelayServer relay = RelayServer.start(RelayConfig.ephemeral().withDurability(Durability.values()[1])
        .withLimits(RelayLimits.DEFAULT.withRates(RelayLimits.RateLimit.UNLIMITED, RelayLimits.RateLimit.UNLIMITED)
            .withMaxLimit(100_000)));
    try {
      SplittableRandom random = new SplittableRandom(seed);
      KeyPair bob = KeyPair.generate(random.split(), CURVE);
      List<KeyPair> senders = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        senders.add(KeyPair.generate(random.split(), CURVE));
      }
      List<NostrEvent> generated = generate(wraps, senders, bob.publicKey(), random, cores);
      for (NostrEvent wrap : generated) {
        relay.store().submit(wrap);
      }
      relay.store().submit(generated.get(generated.size() - 1)).toCompletableFuture().get(60, TimeUnit.SECONDS);

      double floor1 = cryptoFloor(generated, bob, 1);
      double floorN = cryptoFloor(generated, bob, cores);
      double unwrap1 = unwrapLoop(generated, bob, 1);
      double unwrapN = unwrapLoop(generated, bob, cores);
      double ingest = ingest(root.resolve("bob"), relay, bob, wraps, random);
      System.out.printf("crypto floor (2 verify + ECDH + 2 NIP-44 decrypt): %,.0f wraps/s on 1 thread, %,.0f on %d%n",
          floor1, floorN, cores);
      System.out.printf("Unwrapper.unwrap loop (floor + JSON parsing):        %,.0f wraps/s on 1 thread, %,.0f on %d%n",
          unwrap1, unwrapN, cores);
      System.out.printf("end-to-end ingest relay -> encrypted log:            %,.0f wraps/s = %.0f%% of the %d-core floor, %.0f%% of the 1-thread floor%n",
          ingest, 100 * ingest / floorN, cores, 100 * ingest / floor1);

      long[] latencies = sendLatencies(root, relay, sends, random);
      System.out.printf("send -> SENT (every copy accepted), loopback: p50 %.2f ms, p99 %.2f ms, max %.2f ms over %d sends%n",
          percentile(latencies, 50) / 1e6, percentile(latencies, 99) / 1e6, latencies[latencies.length - 1] / 1e6, sends);
    } finally {
      relay.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
      try (Stream<Path> files = Files.walk(root)) {
        for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
      }
    }
    System.exit(0);
  }

  static List<NostrEvent> generate(int count, List<KeyPair> senders, PublicKey to, SplittableRandom random, int threads)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long now = System.currentTimeMillis() / 1000;
    List<CompletableFuture<List<NostrEvent>>> parts = new ArrayList<>();
    int per = (count + threads - 1) / threads;
    for (int t = 0; t < threads; t++) {
      int from = t * per;
      int to2 = Math.min(count, from + per);
      SplittableRandom own = random.split();
      parts.add(CompletableFuture.supplyAsync(() -> {
        GiftWrap wrap = new GiftWrap(CURVE, own, () -> now);
        List<NostrEvent> out = new ArrayList<>();
        for (int i = from; i < to2; i++) {
          KeyPair sender = senders.get(i % senders.size());
          Rumor rumor = ChatRumors.chat(sender.publicKey(), List.of(to), "bench message " + i + " " + "x".repeat(80),
              now - 86_400 + i, ChatRumors.Options.NONE);
          out.add(wrap.sealAndWrap(rumor, sender, to, List.of()));
        }
        return out;
      }, pool));
    }
    List<NostrEvent> all = new ArrayList<>();
    for (CompletableFuture<List<NostrEvent>> part : parts) {
      all.addAll(part.get());
    }
    pool.shutdown();
    return all;
  }

  /** The crypto a wrap needs and nothing else: seals are parsed beforehand, seal keys cached. */
  static double cryptoFloor(List<NostrEvent> wraps, KeyPair me, int threads) throws Exception {
    UnwrapFloor floor = UnwrapFloor.prepare(wraps, me, CURVE);
    try {
      return timed(floor.size(), threads, floor::open);
    } finally {
      floor.wipe();
    }
  }

  static double unwrapLoop(List<NostrEvent> wraps, KeyPair me, int threads) throws Exception {
    Unwrapper unwrapper = new Unwrapper(me, CURVE);
    return timed(wraps.size(), threads, i -> {
      if (!(unwrapper.unwrap(wraps.get(i)) instanceof UnwrapResult.Unwrapped)) {
        throw new IllegalStateException("bad bench data");
      }
    });
  }

  interface Body {
    void run(int index) throws Exception;
  }

  static double timed(int count, int threads, Body body) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < 2; round++) { // the first round warms the JIT up
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          all.add(CompletableFuture.runAsync(() -> {
            int i;
            while ((i = next.getAndIncrement()) < count) {
              try {
                body.run(i);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            }
          }, pool));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get();
        long elapsed = System.nanoTime() - start;
        if (round == 1) {
          return count / (elapsed / 1e9);
        }
      }
      throw new IllegalStateException("unreachable");
    } finally {
      pool.shutdown();
    }
  }

  static XChatConfig.Builder config(Path home, KeyPair keys, SplittableRandom random) {
    return XChatConfig.builder(home, PASSPHRASE)
        .createWith(xchat.protocol.hex.Hex.encode(keys.secretKey().bytes()))
        .random(random.split())
        .fastKdfForTests()
        .relaySettings(XChatConfig.engineDefaults().withIngestWindow(1024));
  }

  static double ingest(Path home, RelayServer relay, KeyPair bob, int wraps, SplittableRandom random) throws Exception {
    try (XChat chat = XChat.open(config(home, bob, random).build())) {
      CountDownLatch all = new CountDownLatch(wraps);
      Counter counter = new Counter(all);
      chat.events().subscribe(counter);
      long start = System.nanoTime();
      chat.createCircle("bench", List.of(relay.url()));
      if (!all.await(10, TimeUnit.MINUTES)) {
        throw new IllegalStateException("only " + (wraps - all.getCount()) + " of " + wraps + " arrived");
      }
      double rate = wraps / ((System.nanoTime() - start) / 1e9);
      System.out.println("timeline " + counter.timeline);
      if (chat.messages("bench").size() != wraps) {
        throw new IllegalStateException("the log holds " + chat.messages("bench").size() + " messages");
      }
      return rate;
    }
  }

  static long[] sendLatencies(Path root, RelayServer relay, int sends, SplittableRandom random) throws Exception {
    KeyPair alice = KeyPair.generate(random.split(), CURVE);
    KeyPair carol = KeyPair.generate(random.split(), CURVE);
    try (XChat chat = XChat.open(config(root.resolve("alice"), alice, random).build())) {
      chat.createCircle("bench", List.of(relay.url()));
      List<String> to = List.of(carol.publicKey().hex());
      for (int i = 0; i < 20; i++) { // warm up: connection, AUTH, JIT
        chat.send("bench", to, "warm-up " + i).outcome().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      long[] latencies = new long[sends];
      for (int i = 0; i < sends; i++) {
        long start = System.nanoTime();
        MessageHandle handle = chat.send("bench", to, "latency " + i);
        SendOutcome outcome = handle.outcome().toCompletableFuture().get(30, TimeUnit.SECONDS);
        latencies[i] = System.nanoTime() - start;
        if (!(outcome instanceof SendOutcome.Sent)) {
          throw new IllegalStateException("send failed: " + outcome);
        }
      }
      Arrays.sort(latencies);
      return latencies;
    }
  }

  static double percentile(long[] sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  static final class Counter implements Flow.Subscriber<EngineEvent> {
    private final CountDownLatch latch;

    Counter(CountDownLatch latch) {
      this.latch = latch;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      subscription.request(Long.MAX_VALUE);
    }

    final long start = System.nanoTime();
    final java.util.List<String> timeline = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public void onNext(EngineEvent item) {
      if (item instanceof EngineEvent.MessageAdded) {
        latch.countDown();
        long c = latch.getCount();
        if (c % 500 == 0) {
          timeline.add((System.nanoTime() - start) / 1000000 + "ms:" + c);
        }
      } else if (!(item instanceof EngineEvent.MessageStatusChanged)) {
        timeline.add((System.nanoTime() - start) / 1000000 + "ms " + item);
      }
    }

    @Override
    public void onError(Throwable throwable) {}

    @Override
    public void onComplete() {}
  }
}
