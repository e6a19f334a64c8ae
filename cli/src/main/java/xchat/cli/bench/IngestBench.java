package xchat.cli.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import xchat.engine.api.EngineEvent;
import xchat.engine.api.XChat;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.event.EventParseException;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.Rumor;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.keys.PublicKey;
import xchat.protocol.nip17.ChatRumors;
import xchat.protocol.nip44.Nip44Exception;
import xchat.protocol.nip59.GiftWrap;
import xchat.protocol.nip59.UnwrapFloor;
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

  /**
   * @param rounds the most catch-up rounds; the last one run is measured
   * @param warmJitPercent warm-up ends after the first round whose JIT compilers' CPU is below this
   *     share of the round's CPU; 0 runs every round
   */
  public record Options(int wraps, int live, int senders, int rounds, int warmJitPercent, long seed) {
    public Options {
      if (wraps < 1 || live < 1 || senders < 1) {
        throw new IllegalArgumentException("wraps, live and senders are at least 1");
      }
      if (rounds < 1) {
        throw new IllegalArgumentException("rounds is at least 1");
      }
      if (warmJitPercent < 0 || warmJitPercent > 100) {
        throw new IllegalArgumentException("the JIT share that ends warm-up is a percentage, 0 to 100");
      }
    }
  }

  /**
   * @param rate wraps per second
   * @param cpuMicros CPU time per wrap, in microseconds, of the threads doing the work
   * @param groupMicros CPU time per wrap of each group of the process's threads meanwhile (engine,
   *     relay, JIT compilers...), in microseconds, from Linux's 10 ms accounting ticks
   */
  public record Rate(double rate, double cpuMicros, Map<String, Double> groupMicros) {
    public Rate {
      groupMicros = Collections.unmodifiableMap(new LinkedHashMap<>(groupMicros));
    }

    static Rate of(double rate, double cpuMicros, Map<String, Long> groupNanos, int items) {
      Map<String, Double> perItem = new LinkedHashMap<>();
      groupNanos.forEach((group, nanos) -> perItem.put(group, nanos / 1e3 / items));
      return new Rate(rate, cpuMicros, perItem);
    }

    public double jitMicros() {
      return groupMicros.getOrDefault(ThreadCpu.JIT, 0.0);
    }

    boolean jitBelow(int percent) {
      return jitMicros() < cpuMicros * percent / 100;
    }
  }

  /**
   * @param floorOne the bare crypto on one thread
   * @param floorAll the bare crypto on every core
   * @param warmUps the same catch-up by earlier devices, the first in a cold JVM, each from a
   *     relay of its own
   * @param measured the last round, whose CPU is the whole process's (engine, relay, JIT, GC)
   * @param live latency from a wrap's arrival at the relay to the device's MessageAdded
   */
  public record Result(int wraps, Rate floorOne, Rate floorAll, int cores, List<Rate> warmUps, Rate measured,
      Percentiles live) {
    public Result {
      warmUps = List.copyOf(warmUps);
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

    List<Rate> warmUps = new ArrayList<>();
    for (int round = 1; round < options.rounds(); round++) {
      Rate warmUp;
      try (BenchHome warmHome = new BenchHome("ingest-warmup-" + round)) {
        warmUp = warmUp(warmHome, round, bob, backlog, random);
      }
      warmUps.add(warmUp);
      if (warmUp.jitBelow(options.warmJitPercent())) {
        break;
      }
    }
    // Right before the measured round, so both meet the same load on a shared machine.
    progress.phase("measuring the crypto floor");
    List<NostrEvent> sample = backlog.subList(0, Math.min(backlog.size(), FLOOR_SAMPLE));
    Rate floorOne = cryptoFloor(sample, bob, 1);
    Rate floorAll = cryptoFloor(sample, bob, cores);
    RelayServer relay = startRelay();
    try (BenchHome home = new BenchHome("ingest")) {
      store(relay, backlog);

      XChat chat = home.open("bob", bob, random);
      try {
        Map<String, CompletableFuture<Long>> arrivals = new ConcurrentHashMap<>();
        for (Rumor rumor : liveRumors) {
          arrivals.put(rumor.id().hex(), new CompletableFuture<>());
        }
        CatchUp caughtUp = new CatchUp(options.wraps(), arrivals, progress);
        BenchHome.subscribe(chat, caughtUp);
        progress.phase(String.format("a second device catches up on %,d wraps", options.wraps()));
        Clocks clocks = Clocks.start();
        chat.createCircle("bench", List.of(relay.url()));
        if (!caughtUp.await(10, TimeUnit.MINUTES)) {
          throw new TimeoutException("only " + caughtUp.stored() + " of " + options.wraps()
              + " wraps reached the log");
        }
        Rate measured = clocks.rate(options.wraps());
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
        return new Result(options.wraps(), floorOne, floorAll, cores, warmUps, measured, new Percentiles(latencies));
      } finally {
        chat.close();
      }
    } finally {
      relay.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static RelayServer startRelay() {
    return RelayServer.start(RelayConfig.ephemeral().withDurability(Durability.WAL)
        .withLimits(RelayLimits.DEFAULT.withRates(RelayLimits.RateLimit.UNLIMITED, RelayLimits.RateLimit.UNLIMITED)
            .withMaxLimit(100_000)));
  }

  private void store(RelayServer relay, List<NostrEvent> backlog)
      throws InterruptedException, ExecutionException, TimeoutException {
    progress.phase(String.format("storing %,d wraps in the relay", backlog.size()));
    List<CompletableFuture<?>> writes = new ArrayList<>();
    for (NostrEvent wrap : backlog) {
      writes.add(relay.store().submit(wrap).toCompletableFuture());
    }
    CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
  }

  /**
   * A round before the measured one, as the floor has one: an earlier device catches up on the
   * same wraps while the JIT is still compiling. Its relay is its own and is stopped after, so the
   * measured device never sees an earlier one's device-state document.
   */
  private Rate warmUp(BenchHome home, int round, KeyPair bob, List<NostrEvent> backlog, SplittableRandom random)
      throws Exception {
    RelayServer relay = startRelay();
    try {
      store(relay, backlog);
      XChat chat = home.open("bob-" + round, bob, random);
      try {
        // The measured round's handler, so that round compiles no handler of its own.
        CatchUp caughtUp = new CatchUp(backlog.size(), new ConcurrentHashMap<>(), progress);
        BenchHome.subscribe(chat, caughtUp);
        progress.phase(String.format("warm-up round %d: a device catches up on %,d wraps", round, backlog.size()));
        Clocks clocks = Clocks.start();
        chat.createCircle("bench", List.of(relay.url()));
        if (!caughtUp.await(10, TimeUnit.MINUTES)) {
          throw new TimeoutException("warm-up: only " + caughtUp.stored() + " of "
              + backlog.size() + " wraps reached the log");
        }
        return clocks.rate(backlog.size());
      } finally {
        chat.close();
      }
    } finally {
      relay.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /**
   * Every round's event handler: a live wrap's MessageAdded completes its arrival, any other counts
   * towards the catch-up. One class for the warm-up and measured rounds, as a handler of its own
   * would make the measured round compile it and deoptimize the event bus's call site into it.
   */
  private static final class CatchUp implements Consumer<EngineEvent> {
    private final int wraps;
    private final Map<String, CompletableFuture<Long>> arrivals;
    private final Progress progress;
    private final CountDownLatch caughtUp;
    private final AtomicInteger stored = new AtomicInteger();

    CatchUp(int wraps, Map<String, CompletableFuture<Long>> arrivals, Progress progress) {
      this.wraps = wraps;
      this.arrivals = arrivals;
      this.progress = progress;
      this.caughtUp = new CountDownLatch(wraps);
    }

    @Override
    public void accept(EngineEvent event) {
      if (event instanceof EngineEvent.MessageAdded added) {
        CompletableFuture<Long> arrival = arrivals.get(added.message().id());
        if (arrival != null) {
          arrival.complete(System.nanoTime());
        } else {
          caughtUp.countDown();
          progress.count(stored.incrementAndGet(), wraps);
        }
      }
    }

    boolean await(long timeout, TimeUnit unit) throws InterruptedException {
      return caughtUp.await(timeout, unit);
    }

    long stored() {
      return wraps - caughtUp.getCount();
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
  static Rate cryptoFloor(List<NostrEvent> wraps, KeyPair me, int threads)
      throws InterruptedException, ExecutionException, Nip44Exception, EventParseException {
    UnwrapFloor floor = UnwrapFloor.prepare(wraps, me, CURVE);
    try {
      return timed(floor.size(), threads, floor::open);
    } finally {
      floor.wipe();
    }
  }

  interface Body {
    void run(int index) throws Exception;
  }

  /** The whole process's CPU time so far (every thread, JIT and GC included). */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Wall clock, process CPU and each thread's CPU from one moment on. */
  private record Clocks(long wall, long cpu, ThreadCpu threads) {
    static Clocks start() {
      return new Clocks(System.nanoTime(), processCpuNanos(), ThreadCpu.now());
    }

    Rate rate(int wraps) {
      double seconds = (System.nanoTime() - wall) / 1e9;
      return Rate.of(wraps / seconds, (processCpuNanos() - cpu) / 1e3 / wraps, ThreadCpu.now().since(threads), wraps);
    }
  }

  /**
   * Items per second over {@code threads} threads, and the workers' CPU time per item; the first
   * of two rounds warms the JIT up.
   */
  static Rate timed(int count, int threads, Body body) throws InterruptedException, ExecutionException {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    try {
      Rate rate = null;
      for (int round = 0; round < 2; round++) {
        AtomicInteger next = new AtomicInteger();
        AtomicLong cpuNanos = new AtomicLong();
        long start = System.nanoTime();
        ThreadCpu threadsAtStart = ThreadCpu.now();
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          all.add(CompletableFuture.runAsync(() -> {
            long cpuStart = cpu.getCurrentThreadCpuTime();
            int i;
            while ((i = next.getAndIncrement()) < count) {
              try {
                body.run(i);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            }
            cpuNanos.addAndGet(cpu.getCurrentThreadCpuTime() - cpuStart);
          }, pool));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get();
        rate = Rate.of(count / ((System.nanoTime() - start) / 1e9), cpuNanos.get() / 1e3 / count,
            ThreadCpu.now().since(threadsAtStart), count);
      }
      return rate;
    } finally {
      pool.shutdown();
    }
  }

  private static List<Object> row(String what, int wraps, Rate rate, double floor, double floorCpu) {
    return List.of(what, wraps, rate.rate(), 100 * rate.rate() / floor, rate.cpuMicros(),
        100 * floorCpu / rate.cpuMicros(), rate.jitMicros());
  }

  private static List<List<Object>> cpuRows(Rate measured, double floorCpu) {
    List<List<Object>> rows = new ArrayList<>();
    // Only the engine does the floor's work; its ratio is the engine's own efficiency.
    measured.groupMicros().forEach((group, micros) -> rows.add(List.of(group, micros,
        100 * micros / measured.cpuMicros(), group.equals(ThreadCpu.ENGINE) && micros > 0 ? 100 * floorCpu / micros : "")));
    return rows;
  }

  public BenchReport report(Result result, String command) {
    double rate = result.measured().rate();
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("wraps", options.wraps());
    parameters.put("live wraps", options.live());
    parameters.put("senders", options.senders());
    parameters.put("rounds", options.rounds());
    parameters.put("warm-up ends below JIT share (%)", options.warmJitPercent());
    parameters.put("seed", options.seed());
    String all = "crypto floor, " + result.cores() + " threads";
    // The faster of the two: on a busy machine more threads need not be faster.
    double floor = Math.max(result.floorOne().rate(), result.floorAll().rate());
    double floorCpu = Math.min(result.floorOne().cpuMicros(), result.floorAll().cpuMicros());
    int floorWraps = Math.min(result.wraps(), FLOOR_SAMPLE);
    List<List<Object>> rows = new ArrayList<>();
    rows.add(row("crypto floor, 1 thread", floorWraps, result.floorOne(), floor, floorCpu));
    rows.add(row(all, floorWraps, result.floorAll(), floor, floorCpu));
    for (int i = 0; i < result.warmUps().size(); i++) {
      String what = i == 0 ? "end to end, round 1 (cold JVM)" : "end to end, round " + (i + 1);
      rows.add(row(what, result.wraps(), result.warmUps().get(i), floor, floorCpu));
    }
    rows.add(row("end to end: relay -> encrypted log", result.wraps(), result.measured(), floor, floorCpu));
    return new BenchReport("ingest", "xchat bench ingest: gift wraps from a local relay into the encrypted log",
        command, parameters, Machine.describe(),
        List.of(
            new BenchReport.Table("Throughput",
                List.of("what", "wraps", "rate", "of the floor", "CPU per wrap", "floor CPU / CPU", "JIT per wrap"),
                List.of("", "", "wraps/s", "%", "us", "%", "us"), rows),
            new BenchReport.Table("Where the measured round's CPU went, per wrap",
                List.of("threads", "CPU per wrap", "of the process", "floor CPU / this"),
                List.of("", "us", "%", "%"), cpuRows(result.measured(), floorCpu)),
            new BenchReport.Table("Latency, live: wrap stored at the relay -> MessageAdded on the device",
                List.of("wraps", "p50", "p99", "max"), List.of("", "ms", "ms", "ms"), List.of(
                List.of(result.live().count(), result.live().millis(50), result.live().millis(99),
                    result.live().maxMillis())))),
        List.of(new BenchReport.Chart("Wraps per second", "wraps/s", List.of(
            new BenchReport.Bar("crypto floor, 1 thread", "floor", result.floorOne().rate()),
            new BenchReport.Bar(all, "floor", result.floorAll().rate()),
            new BenchReport.Bar("end to end", "engine", rate)))),
        List.of("Catch-up: a new device with the engine's default settings names the relay in a circle; the time "
                + "runs from createCircle to the last MessageAdded, and the log is checked to hold every message.",
            "Like the floor, catch-up runs more than once: " + result.warmUps().size() + " earlier device(s), the "
                + "first in the cold JVM, each from a relay of its own (stopped after), then the measured one. "
                + "Warm-up ends after the first round whose 'JIT per wrap' (what the JIT compilers spent meanwhile) "
                + "is below " + options.warmJitPercent() + "% of its CPU per wrap, or after " + options.rounds()
                + " rounds in all; 'end to end' is the round after it.",
            "The path: WebSocket, REQ and NIP-77, parse, dedup, verify, unwrap, route, batched encrypted appends, "
                + "cursor, events.",
            "Crypto floor: 2 BIP-340 verifies + 1 ECDH + 2 NIP-44 decrypts per wrap, seal keys cached per sender; "
                + "over the first " + FLOOR_SAMPLE + " wraps, after the warm-up, the second of two rounds is timed. "
                + "'The floor' is "
                + "the faster of the 1-thread and " + result.cores() + "-thread runs.",
            "CPU per wrap: the floor's worker threads, against the whole process during catch-up (engine, the "
                + "in-process relay, JIT and GC). On a shared machine the wall-clock ratio swings with the load; "
                + "'floor CPU / CPU' does not.",
            "Threads: 'engine' is the device's (Pekko dispatchers, its WebSocket client, its store's WAL sync), "
                + "'relay' the in-process relay's, 'RocksDB background' the flushes and compactions of both "
                + "stores; from Linux's per-thread accounting, in 10 ms ticks.",
            "Live: each wrap is written to the relay's store (which feeds live subscriptions) after the previous "
                + "one reached the device's log, so the latency holds no queueing.",
            "Wraps come from " + options.senders() + " senders to one recipient; the relay runs in this process "
                + "with WAL durability and no rate limits."));
  }
}
