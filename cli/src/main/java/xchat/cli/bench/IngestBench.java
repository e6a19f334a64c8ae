package xchat.cli.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import xchat.engine.api.EngineEvent;
import xchat.engine.api.XChat;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.event.EventJson;
import xchat.protocol.event.EventParseException;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.Rumor;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.keys.PublicKey;
import xchat.protocol.nip17.ChatRumors;
import xchat.protocol.nip44.ConversationKey;
import xchat.protocol.nip44.Nip44;
import xchat.protocol.nip44.Nip44Exception;
import xchat.protocol.nip59.GiftWrap;
import xchat.relay.server.RelayConfig;
import xchat.relay.server.RelayLimits;
import xchat.relay.server.RelayServer;
import xchat.relay.store.Durability;

/**
 * Gift wraps from a local relay into the encrypted log, end to end: a fresh device catches up on
 * N stored wraps (connect, REQ and NIP-77, parse, dedup, verify, unwrap, route, batched appends,
 * events), then receives wraps live one at a time for latency. The crypto floor, the curve and
 * cipher work alone, is measured in the same run.
 */
public final class IngestBench {
  static final Secp256k1 CURVE = Secp256k1.defaultBackend();
  /** Enough wraps for a steady rate; the floor is per wrap, so it does not grow with N. */
  static final int FLOOR_SAMPLE = 2000;

  public record Options(int wraps, int live, int senders, long seed) {
    public Options {
      if (wraps < 1 || live < 1 || senders < 1) {
        throw new IllegalArgumentException("wraps, live and senders are at least 1");
      }
    }
  }

  /**
   * @param floorOne wraps/s of the bare crypto on one thread
   * @param floorAll wraps/s of the bare crypto on every core
   * @param live latency from a wrap's arrival at the relay to the device's MessageAdded
   */
  public record Result(int wraps, double seconds, double floorOne, double floorAll, int cores, Percentiles live) {
    public double wrapsPerSecond() {
      return wraps / seconds;
    }
  }

  private final Options options;
  private final Progress progress;

  public IngestBench(Options options, Progress progress) {
    this.options = options;
    this.progress = progress;
  }

  public Result measure() throws Exception {
    int cores = Runtime.getRuntime().availableProcessors();
    SplittableRandom random = new SplittableRandom(options.seed());
    KeyPair bob = KeyPair.generate(random.split(), CURVE);
    List<KeyPair> senders = new ArrayList<>();
    for (int i = 0; i < options.senders(); i++) {
      senders.add(KeyPair.generate(random.split(), CURVE));
    }
    long now = System.currentTimeMillis() / 1000;
    progress.phase(String.format("sealing and wrapping %,d messages", options.wraps() + options.live()));
    List<NostrEvent> backlog = generate(options.wraps(), senders, bob.publicKey(), random.split(), now - 86_400, cores);
    List<Rumor> liveRumors = new ArrayList<>();
    List<NostrEvent> liveWraps = new ArrayList<>();
    GiftWrap wrapper = new GiftWrap(CURVE, random.split(), () -> now);
    for (int i = 0; i < options.live(); i++) {
      KeyPair sender = senders.get(i % senders.size());
      Rumor rumor = ChatRumors.chat(sender.publicKey(), List.of(bob.publicKey()), text(i), now + i,
          ChatRumors.Options.NONE);
      liveRumors.add(rumor);
      liveWraps.add(wrapper.sealAndWrap(rumor, sender, bob.publicKey(), List.of()));
    }

    progress.phase("measuring the crypto floor");
    List<NostrEvent> sample = backlog.subList(0, Math.min(backlog.size(), FLOOR_SAMPLE));
    double floorOne = cryptoFloor(sample, bob, 1);
    double floorAll = cryptoFloor(sample, bob, cores);

    RelayServer relay = RelayServer.start(RelayConfig.ephemeral().withDurability(Durability.WAL)
        .withLimits(RelayLimits.DEFAULT.withRates(RelayLimits.RateLimit.UNLIMITED, RelayLimits.RateLimit.UNLIMITED)
            .withMaxLimit(100_000)));
    try (BenchHome home = new BenchHome("ingest")) {
      progress.phase(String.format("storing %,d wraps in the relay", backlog.size()));
      List<CompletableFuture<?>> writes = new ArrayList<>();
      for (NostrEvent wrap : backlog) {
        writes.add(relay.store().submit(wrap).toCompletableFuture());
      }
      CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);

      XChat chat = home.open("bob", bob, random);
      try {
        CountDownLatch caughtUp = new CountDownLatch(options.wraps());
        Map<String, CompletableFuture<Long>> arrivals = new ConcurrentHashMap<>();
        for (Rumor rumor : liveRumors) {
          arrivals.put(rumor.id().hex(), new CompletableFuture<>());
        }
        AtomicInteger stored = new AtomicInteger();
        BenchHome.subscribe(chat, event -> {
          if (event instanceof EngineEvent.MessageAdded added) {
            CompletableFuture<Long> arrival = arrivals.get(added.message().id());
            if (arrival != null) {
              arrival.complete(System.nanoTime());
            } else {
              caughtUp.countDown();
              progress.count(stored.incrementAndGet(), options.wraps());
            }
          }
        });
        progress.phase(String.format("a new device catches up on %,d wraps", options.wraps()));
        long start = System.nanoTime();
        chat.createCircle("bench", List.of(relay.url()));
        if (!caughtUp.await(10, TimeUnit.MINUTES)) {
          throw new TimeoutException("only " + (options.wraps() - caughtUp.getCount()) + " of " + options.wraps()
              + " wraps reached the log");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int inLog = chat.messages("bench").size();
        if (inLog != options.wraps()) {
          throw new IllegalStateException("the log holds " + inLog + " messages, not " + options.wraps());
        }

        progress.phase(String.format("%,d wraps arrive live, one at a time", options.live()));
        long[] latencies = new long[options.live()];
        for (int i = 0; i < options.live(); i++) {
          CompletableFuture<Long> arrival = arrivals.get(liveRumors.get(i).id().hex());
          long sent = System.nanoTime();
          relay.store().submit(liveWraps.get(i));
          latencies[i] = arrival.get(30, TimeUnit.SECONDS) - sent;
          progress.count(i + 1, options.live());
        }
        progress.done();
        return new Result(options.wraps(), seconds, floorOne, floorAll, cores, new Percentiles(latencies));
      } finally {
        chat.close();
      }
    } finally {
      relay.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static String text(int i) {
    return "bench message " + i + " " + "x".repeat(80);
  }

  static List<NostrEvent> generate(int count, List<KeyPair> senders, PublicKey to, SplittableRandom random,
      long firstCreatedAt, int threads) throws InterruptedException, ExecutionException {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      long now = System.currentTimeMillis() / 1000;
      List<CompletableFuture<List<NostrEvent>>> parts = new ArrayList<>();
      int per = (count + threads - 1) / threads;
      for (int t = 0; t < threads; t++) {
        int from = t * per;
        int until = Math.min(count, from + per);
        SplittableRandom own = random.split();
        parts.add(CompletableFuture.supplyAsync(() -> {
          GiftWrap wrap = new GiftWrap(CURVE, own, () -> now);
          List<NostrEvent> out = new ArrayList<>();
          for (int i = from; i < until; i++) {
            KeyPair sender = senders.get(i % senders.size());
            Rumor rumor = ChatRumors.chat(sender.publicKey(), List.of(to), text(i), firstCreatedAt + i,
                ChatRumors.Options.NONE);
            out.add(wrap.sealAndWrap(rumor, sender, to, List.of()));
          }
          return out;
        }, pool));
      }
      List<NostrEvent> all = new ArrayList<>();
      for (CompletableFuture<List<NostrEvent>> part : parts) {
        all.addAll(part.get());
      }
      return all;
    } finally {
      pool.shutdown();
    }
  }

  /**
   * What a wrap costs in crypto alone: 2 signature verifies (wrap, seal), 1 ECDH (the wrap's
   * one-time key) and 2 NIP-44 decrypts; the seal key per sender is cached, as the engine does.
   */
  static double cryptoFloor(List<NostrEvent> wraps, KeyPair me, int threads)
      throws InterruptedException, ExecutionException, Nip44Exception, EventParseException {
    byte[] secret = me.secretKey().bytes();
    try {
      List<NostrEvent> seals = new ArrayList<>();
      Map<PublicKey, ConversationKey> sealKeys = new ConcurrentHashMap<>();
      for (NostrEvent wrap : wraps) {
        NostrEvent seal = EventJson.parse(Nip44.decrypt(wrap.content(),
            Nip44.conversationKey(CURVE, secret, wrap.pubkey().bytes())));
        seals.add(seal);
        sealKeys.computeIfAbsent(seal.pubkey(), k -> Nip44.conversationKey(CURVE, secret, k.bytes()));
      }
      return timed(wraps.size(), threads, i -> {
        NostrEvent wrap = wraps.get(i);
        NostrEvent seal = seals.get(i);
        boolean valid = wrap.hasValidSignature(CURVE);
        ConversationKey key = Nip44.conversationKey(CURVE, secret, wrap.pubkey().bytes());
        String sealJson = Nip44.decrypt(wrap.content(), key);
        valid &= seal.hasValidSignature(CURVE);
        String rumorJson = Nip44.decrypt(seal.content(), sealKeys.get(seal.pubkey()));
        if (!valid || sealJson.isEmpty() || rumorJson.isEmpty()) {
          throw new IllegalStateException("a generated wrap does not open");
        }
      });
    } finally {
      java.util.Arrays.fill(secret, (byte) 0);
    }
  }

  interface Body {
    void run(int index) throws Exception;
  }

  /** Items per second over {@code threads} threads; the first of two rounds warms the JIT up. */
  static double timed(int count, int threads, Body body) throws InterruptedException, ExecutionException {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      double rate = 0;
      for (int round = 0; round < 2; round++) {
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
        rate = count / ((System.nanoTime() - start) / 1e9);
      }
      return rate;
    } finally {
      pool.shutdown();
    }
  }

  public BenchReport report(Result result, String command) {
    double rate = result.wrapsPerSecond();
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("wraps", options.wraps());
    parameters.put("live wraps", options.live());
    parameters.put("senders", options.senders());
    parameters.put("seed", options.seed());
    String all = "crypto floor, " + result.cores() + " threads";
    // The faster of the two: on a busy machine more threads need not be faster.
    double floor = Math.max(result.floorOne(), result.floorAll());
    int floorWraps = Math.min(result.wraps(), FLOOR_SAMPLE);
    return new BenchReport("ingest", "xchat bench ingest: gift wraps from a local relay into the encrypted log",
        command, parameters, Machine.describe(),
        List.of(
            new BenchReport.Table("Throughput", List.of("what", "wraps", "rate", "of the floor"),
                List.of("", "", "wraps/s", "%"), List.of(
                List.of("crypto floor, 1 thread", floorWraps, result.floorOne(), 100 * result.floorOne() / floor),
                List.of(all, floorWraps, result.floorAll(), 100 * result.floorAll() / floor),
                List.of("end to end: relay -> encrypted log", result.wraps(), rate, 100 * rate / floor))),
            new BenchReport.Table("Latency, live: wrap stored at the relay -> MessageAdded on the device",
                List.of("wraps", "p50", "p99", "max"), List.of("", "ms", "ms", "ms"), List.of(
                List.of(result.live().count(), result.live().millis(50), result.live().millis(99),
                    result.live().maxMillis())))),
        List.of(new BenchReport.Chart("Wraps per second", "wraps/s", List.of(
            new BenchReport.Bar("crypto floor, 1 thread", "floor", result.floorOne()),
            new BenchReport.Bar(all, "floor", result.floorAll()),
            new BenchReport.Bar("end to end", "engine", rate)))),
        List.of("Catch-up: a new device with the engine's default settings names the relay in a circle; the time "
                + "runs from createCircle to the last MessageAdded, and the log is checked to hold every message.",
            "The path: WebSocket, REQ and NIP-77, parse, dedup, verify, unwrap, route, batched encrypted appends, "
                + "cursor, events.",
            "Crypto floor: 2 BIP-340 verifies + 1 ECDH + 2 NIP-44 decrypts per wrap, seal keys cached per sender; "
                + "over the first " + FLOOR_SAMPLE + " wraps, the second of two rounds is timed. 'The floor' is "
                + "the faster of the 1-thread and " + result.cores() + "-thread runs.",
            "Live: each wrap is written to the relay's store (which feeds live subscriptions) after the previous "
                + "one reached the device's log, so the latency holds no queueing.",
            "Wraps come from " + options.senders() + " senders to one recipient; the relay runs in this process "
                + "with WAL durability and no rate limits."));
  }
}
