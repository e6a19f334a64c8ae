package xchat.relay.bench;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.Tag;
import xchat.protocol.event.Tags;
import xchat.protocol.event.UnsignedEvent;
import xchat.protocol.filter.Filter;
import xchat.protocol.hex.Hex;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.message.ClientMessage;
import xchat.protocol.nip77.Item;
import xchat.protocol.nip77.Negentropy;
import xchat.protocol.nip77.SortedVectorStorage;
import xchat.relay.server.RelayConfig;
import xchat.relay.server.RelayLimits;
import xchat.relay.server.RelayLimits.RateLimit;
import xchat.relay.server.RelayServer;
import xchat.relay.store.Durability;

/**
 * The relay benchmark, over real loopback WebSockets:
 *
 * <ol>
 *   <li>accepted EVENTs per second (EVENT sent to OK true received), with 1, 8 and 64
 *       connections publishing at once, fsynced group commit;
 *   <li>REQ latency (REQ sent to EOSE received), p50 and p99, for filtered queries over N stored
 *       events;
 *   <li>a NIP-77 reconciliation of the N events against a client that lacks 1% of them: time,
 *       rounds and bytes.
 * </ol>
 *
 * <p>Run: {@code java -cp relay/target/classes:$(cat cp.txt) xchat.relay.bench.RelayBench
 * [--events N] [--publish N] [--queries N] [--seed S] [--durability sync|wal]}. Events are signed before timing starts,
 * so the figures are the relay's (signature verification included), not the client's signing.
 */
public final class RelayBench {
  private static final Secp256k1 CURVE = Secp256k1.defaultBackend();
  private static final int[] CONNECTIONS = {1, 8, 64};
  private static final long NOW = System.currentTimeMillis() / 1000;
  private static final long SPREAD = 30L * 24 * 3600;
  private static final List<String> WORDS =
      IntStream.range(0, 50).mapToObj(i -> "topic" + i).toList();

  /** What to run. */
  public record Options(
      int storedEvents, int publishEvents, int queries, long seed, Durability durability) {
    public static Options parse(String[] args) {
      int stored = 1_000_000;
      int publish = 20_000;
      int queries = 500;
      long seed = 42;
      Durability durability = Durability.SYNC;
      for (int i = 0; i + 1 < args.length; i += 2) {
        switch (args[i]) {
          case "--events" -> stored = Integer.parseInt(args[i + 1]);
          case "--publish" -> publish = Integer.parseInt(args[i + 1]);
          case "--queries" -> queries = Integer.parseInt(args[i + 1]);
          case "--seed" -> seed = Long.parseLong(args[i + 1]);
          case "--durability" -> durability = Durability.valueOf(args[i + 1].toUpperCase());
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      return new Options(stored, publish, queries, seed, durability);
    }
  }

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    System.out.printf("relay bench: seed %d, curve %s, %d cores, durability %s%n", options.seed(),
        CURVE.name(), Runtime.getRuntime().availableProcessors(), options.durability());
    for (int connections : CONNECTIONS) {
      double rate = publishThroughput(options, connections);
      System.out.printf("EVENT->OK  %2d connection(s): %,.0f accepted events/s%n", connections, rate);
    }
    storedBenchmarks(options);
  }

  private static RelayConfig config(Options options, int maxItems) {
    return RelayConfig.ephemeral()
        .withDurability(options.durability())
        .withLimits(RelayLimits.DEFAULT
            .withRates(RateLimit.UNLIMITED, RateLimit.UNLIMITED)
            .withMaxNegentropyItems(maxItems));
  }

  // ---------------------------------------------------------------- 1. publish

  static double publishThroughput(Options options, int connections) throws Exception {
    int perConnection = options.publishEvents() / connections;
    SplittableRandom random = new SplittableRandom(options.seed() + connections);
    List<KeyPair> keys = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      keys.add(KeyPair.generate(random, CURVE));
    }
    List<List<String>> frames = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      KeyPair author = keys.get(c);
      long base = options.seed() * 1_000_003L + c;
      frames.add(IntStream.range(0, perConnection).parallel()
          .mapToObj(i -> new ClientMessage.EventMessage(
              sign(author, 1, NOW - (i % 600), List.of(), "bench " + base + " " + i, i)).toJson())
          .toList());
    }
    RelayServer relay = RelayServer.start(config(options, 1));
    HttpClient http = HttpClient.newHttpClient();
    List<BenchClient> clients = new ArrayList<>();
    CountDownLatch accepted = new CountDownLatch(connections * perConnection);
    AtomicLong refused = new AtomicLong();
    try {
      for (int c = 0; c < connections; c++) {
        clients.add(new BenchClient(http, relay.url(), frame -> {
          if (frame.startsWith("[\"OK\"")) {
            if (frame.contains(",true,")) {
              accepted.countDown();
            } else {
              refused.incrementAndGet();
            }
          }
        }));
      }
      long start = System.nanoTime();
      List<Thread> senders = new ArrayList<>();
      for (int c = 0; c < connections; c++) {
        BenchClient client = clients.get(c);
        List<String> mine = frames.get(c);
        Thread sender = new Thread(() -> mine.forEach(client::send), "bench-sender-" + c);
        sender.start();
        senders.add(sender);
      }
      if (!accepted.await(10, TimeUnit.MINUTES)) {
        throw new IllegalStateException("publishing did not finish; refused " + refused.get());
      }
      long elapsed = System.nanoTime() - start;
      for (Thread sender : senders) {
        sender.join();
      }
      if (refused.get() > 0) {
        throw new IllegalStateException(refused.get() + " events were refused");
      }
      return connections * perConnection / (elapsed / 1e9);
    } finally {
      clients.forEach(BenchClient::close);
      relay.stop().toCompletableFuture().join();
    }
  }

  // ---------------------------------------------------------------- 2 and 3. stored events

  private record Stored(List<KeyPair> authors, List<Item> visible, List<String> sampleIds) {}

  static void storedBenchmarks(Options options) throws Exception {
    RelayServer relay = RelayServer.start(config(options, options.storedEvents() + 1));
    try {
      long start = System.nanoTime();
      Stored stored = populate(relay, options);
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf("populated %,d events (signing included) in %.1f s: %,.0f events/s%n",
          options.storedEvents(), seconds, options.storedEvents() / seconds);
      HttpClient http = HttpClient.newHttpClient();
      SplittableRandom random = new SplittableRandom(options.seed() ^ 0x5eedL);
      reqLatency(http, relay, options, "authors+kinds limit 20", () -> Filter.builder()
          .authors(stored.authors().get(random.nextInt(stored.authors().size())).publicKey())
          .kinds(1).limit(20).build());
      reqLatency(http, relay, options, "kinds limit 100", () ->
          Filter.builder().kinds(1).limit(100).build());
      reqLatency(http, relay, options, "#t limit 50", () ->
          Filter.builder().tag('t', WORDS.get(random.nextInt(WORDS.size()))).limit(50).build());
      reqLatency(http, relay, options, "#e limit 50", () -> Filter.builder()
          .tag('e', stored.sampleIds().get(random.nextInt(stored.sampleIds().size())))
          .limit(50).build());
      reqLatency(http, relay, options, "since+until window limit 500", () -> {
        long from = NOW - random.nextLong(SPREAD);
        return Filter.builder().since(from).until(from + 3600).limit(500).build();
      });
      reconcile(http, relay, stored, options);
    } finally {
      relay.stop().toCompletableFuture().join();
    }
  }

  /**
   * N events from 1000 authors over 30 days: 70% kind 1, 20% kind 7 (with an e tag), 10% kind
   * 1059 p-tagged to an author; 10% carry a t tag.
   */
  private static Stored populate(RelayServer relay, Options options) {
    SplittableRandom random = new SplittableRandom(options.seed());
    List<KeyPair> authors = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      authors.add(KeyPair.generate(random, CURVE));
    }
    List<Item> visible = new ArrayList<>(options.storedEvents());
    List<String> sampleIds = new ArrayList<>();
    int chunk = 20_000;
    for (int from = 0; from < options.storedEvents(); from += chunk) {
      int to = Math.min(options.storedEvents(), from + chunk);
      long chunkSeed = random.nextLong();
      List<String> earlier = List.copyOf(sampleIds);
      List<NostrEvent> events = IntStream.range(from, to).parallel()
          .mapToObj(i -> generate(new SplittableRandom(chunkSeed + i), authors, earlier, i))
          .toList();
      List<CompletableFuture<?>> writes = new ArrayList<>(events.size());
      for (NostrEvent event : events) {
        writes.add(relay.store().submit(event).toCompletableFuture());
        if (event.kind() != 1059) {
          visible.add(new Item(event.createdAt(), event.id().bytes()));
        }
        if (sampleIds.size() < 10_000 && event.kind() == 1) {
          sampleIds.add(event.id().hex());
        }
      }
      CompletableFuture.allOf(writes.toArray(new CompletableFuture<?>[0])).join();
    }
    return new Stored(authors, visible, sampleIds);
  }

  private static NostrEvent generate(
      SplittableRandom random, List<KeyPair> authors, List<String> earlier, int index) {
    KeyPair author = authors.get(random.nextInt(authors.size()));
    long createdAt = NOW - random.nextLong(SPREAD);
    int roll = random.nextInt(10);
    List<Tag> tags = new ArrayList<>();
    int kind;
    if (roll < 7) {
      kind = 1;
    } else if (roll < 9) {
      kind = 7;
      if (!earlier.isEmpty()) {
        tags.add(Tag.of("e", earlier.get(random.nextInt(earlier.size()))));
      }
    } else {
      kind = 1059;
      tags.add(Tag.of("p", authors.get(random.nextInt(authors.size())).publicKey().hex()));
    }
    if (random.nextInt(10) == 0) {
      tags.add(Tag.of("t", WORDS.get(random.nextInt(WORDS.size()))));
    }
    return sign(author, kind, createdAt, tags, "event " + index + " " + random.nextLong(), index);
  }

  private static NostrEvent sign(
      KeyPair keys, int kind, long createdAt, List<Tag> tags, String content, long auxSeed) {
    byte[] aux = new byte[32];
    new SplittableRandom(auxSeed).nextBytes(aux);
    return new UnsignedEvent(keys.publicKey(), createdAt, kind, new Tags(tags), content)
        .sign(keys, CURVE, aux);
  }

  private static void reqLatency(
      HttpClient http, RelayServer relay, Options options, String label,
      java.util.function.Supplier<Filter> filters) throws Exception {
    LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
    try (BenchClient client = new BenchClient(http, relay.url(), frames::add)) {
      int warmup = Math.min(100, options.queries());
      long[] nanos = new long[options.queries()];
      long events = 0;
      for (int q = -warmup; q < options.queries(); q++) {
        String id = "q" + (q + warmup);
        long start = System.nanoTime();
        client.send(new ClientMessage.Req(id, List.of(filters.get())).toJson());
        String eose = "[\"EOSE\",\"" + id + "\"]";
        while (true) {
          String frame = frames.poll(30, TimeUnit.SECONDS);
          if (frame == null) {
            throw new IllegalStateException("no EOSE for " + label);
          }
          if (frame.equals(eose)) {
            break;
          }
          if (frame.startsWith("[\"EVENT\"") && q >= 0) {
            events++;
          }
          if (frame.startsWith("[\"CLOSED\"")) {
            throw new IllegalStateException(label + ": " + frame);
          }
        }
        if (q >= 0) {
          nanos[q] = System.nanoTime() - start;
        }
        client.send(new ClientMessage.Close(id).toJson());
      }
      Arrays.sort(nanos);
      System.out.printf("REQ %-30s p50 %6.2f ms  p99 %6.2f ms  (%d queries, %.0f events each)%n",
          label, nanos[nanos.length / 2] / 1e6, nanos[(int) (nanos.length * 0.99)] / 1e6,
          nanos.length, (double) events / nanos.length);
    }
  }

  private static void reconcile(HttpClient http, RelayServer relay, Stored stored, Options options)
      throws Exception {
    SplittableRandom random = new SplittableRandom(options.seed() ^ 0x77L);
    List<Item> local = new ArrayList<>(stored.visible().size());
    int missing = 0;
    for (Item item : stored.visible()) {
      if (random.nextInt(100) == 0) {
        missing++;
      } else {
        local.add(item);
      }
    }
    long buildStart = System.nanoTime();
    Negentropy client = new Negentropy(SortedVectorStorage.of(local), 60_000);
    double buildMs = (System.nanoTime() - buildStart) / 1e6;
    LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
    try (BenchClient socket = new BenchClient(http, relay.url(), frames::add)) {
      Filter filter = Filter.builder().kinds(1, 7).build();
      long start = System.nanoTime();
      String open = new ClientMessage.NegOpen("sync", filter,
          Hex.encode(client.initiate())).toJson();
      long up = open.length();
      long down = 0;
      long binaryUp = (open.length() - 60) / 2;
      long binaryDown = 0;
      socket.send(open);
      List<byte[]> have = new ArrayList<>();
      List<byte[]> need = new ArrayList<>();
      int rounds = 0;
      while (true) {
        String frame = frames.poll(120, TimeUnit.SECONDS);
        if (frame == null) {
          throw new IllegalStateException("no NEG-MSG");
        }
        if (!frame.startsWith("[\"NEG-MSG\"")) {
          if (frame.startsWith("[\"NEG-ERR\"")) {
            throw new IllegalStateException(frame);
          }
          continue;
        }
        rounds++;
        down += frame.length();
        String hex = frame.substring(frame.lastIndexOf(",\"") + 2, frame.length() - 2);
        binaryDown += hex.length() / 2;
        Optional<byte[]> next = client.reconcile(Hex.decode(hex), have, need);
        if (next.isEmpty()) {
          break;
        }
        String message = new ClientMessage.NegMsg("sync", Hex.encode(next.get())).toJson();
        up += message.length();
        binaryUp += next.get().length;
        socket.send(message);
      }
      double ms = (System.nanoTime() - start) / 1e6;
      socket.send(new ClientMessage.NegClose("sync").toJson());
      if (need.size() != missing || !have.isEmpty()) {
        throw new IllegalStateException("reconciliation found " + need.size() + " of " + missing);
      }
      System.out.printf("NIP-77 %,d items, client missing %,d (1%%): %.0f ms, %d rounds, "
              + "%,d B up + %,d B down on the wire (%,d + %,d B negentropy payload); "
              + "client storage built in %.0f ms%n",
          stored.visible().size(), missing, ms, rounds, up, down, binaryUp, binaryDown, buildMs);
    }
  }
}
