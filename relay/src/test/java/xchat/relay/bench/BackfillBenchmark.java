package xchat.relay.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.filter.Filter;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.nip59.GiftWrap;
import xchat.relay.server.Frames;
import xchat.relay.store.Access;
import xchat.relay.store.Durability;
import xchat.relay.store.EventStore;
import xchat.relay.store.NegentropyItems;
import xchat.relay.store.QueryResult;
import xchat.relay.store.StoredEvent;
import xchat.relay.testing.TestEvents;

/**
 * A catch-up as the relay serves it: one REQ for a device's gift wraps over a store holding
 * {@code events} wraps (about 1.5 KB of content each), from the query to the EVENT frames, and the
 * same wraps as NIP-77 items. Divide a score by {@code events} for the cost per event.
 *
 * <pre>
 * mvn -B -q -o -pl relay -am test-compile -Dxchat.skipNpm=true
 * mvn -B -q -o -pl relay dependency:build-classpath -Dmdep.outputFile=$PWD/cp.txt -Dmdep.includeScope=test
 * java -cp relay/target/test-classes:relay/target/classes:$(cat cp.txt) xchat.relay.bench.BackfillBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BackfillBenchmark {
  private static final long SEED = 0x0bac_f111L;
  private static final long NOW = 1_800_000_000L;
  private static final String SUBSCRIPTION = "catch-up:\"device\"";

  @Param({"10000"})
  int events;

  private Path directory;
  private EventStore store;
  private Access recipient;
  private List<Filter> wrapsToRecipient;
  private Filter wrapsOnly;

  @Setup(Level.Trial)
  public void fillStore() throws IOException {
    TestEvents factory = new TestEvents(SEED);
    SplittableRandom random = new SplittableRandom(SEED);
    KeyPair device = factory.keys();
    recipient = new Access(Set.of(device.publicKey()));
    directory = Files.createTempDirectory("xchat-relay-backfill-bench");
    store = EventStore.open(directory, Durability.WAL, () -> NOW, (event, json, sequence) -> { });
    List<CompletableFuture<?>> writes = new ArrayList<>();
    KeyPair author = factory.keys();
    for (int i = 0; i < events; i++) {
      NostrEvent wrap = factory.event(author, GiftWrap.WRAP_KIND, NOW - 10 * 86_400 + i,
          List.of(TestEvents.p(device.publicKey())), base64Like(random, 1_500));
      writes.add(store.submit(wrap).toCompletableFuture());
    }
    CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
    // Reopening flushes the memtable: reads then come from table files, as on a relay that has
    // been up a while.
    store.close();
    store = EventStore.open(directory, Durability.WAL, () -> NOW, (event, json, sequence) -> { });
    wrapsToRecipient = List.of(Filter.builder().kinds(GiftWrap.WRAP_KIND)
        .tag('p', device.publicKey().hex()).limit(events).build());
    wrapsOnly = Filter.builder().kinds(GiftWrap.WRAP_KIND).build();
    int served = backfill(new Blackhole(
        "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous."));
    if (served != events) {
      throw new IllegalStateException("served " + served + " of " + events + " (seed " + SEED + ")");
    }
  }

  @TearDown(Level.Trial)
  public void deleteStore() throws IOException {
    store.close();
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  /** REQ {kinds:[1059], #p:[device]}: query, then one EVENT frame per stored wrap. */
  @Benchmark
  public int backfill(Blackhole frames) {
    QueryResult result = store.querySnapshot(wrapsToRecipient, recipient, events, events);
    byte[] head = Frames.eventHead(SUBSCRIPTION);
    for (StoredEvent event : result.events()) {
      frames.consume(Frames.event(head, event));
    }
    return result.events().size();
  }

  /** NEG-OPEN {kinds:[1059]}: no recipient index, so each wrap is read to check its p tags. */
  @Benchmark
  public NegentropyItems negentropyItemsReadingEachWrap() {
    return store.negentropyItems(wrapsOnly, recipient, events);
  }

  private static String base64Like(SplittableRandom random, int length) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return out.toString();
  }

  /**
   * JMH, or with {@code cpu} the calling thread's CPU time per event (median and minimum of 30
   * runs after 20 warm-up runs): on a shared machine, wall time mostly measures the neighbours.
   */
  public static void main(String[] args) throws RunnerException, IOException {
    if (args.length > 0 && args[0].equals("cpu")) {
      cpuTimes();
      return;
    }
    new Runner(new OptionsBuilder().include(BackfillBenchmark.class.getSimpleName()).build()).run();
  }

  private static void cpuTimes() throws IOException {
    BackfillBenchmark bench = new BackfillBenchmark();
    bench.events = 10_000;
    bench.fillStore();
    Blackhole sink = new Blackhole(
        "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
    try {
      report("backfill", bench.events, () -> bench.backfill(sink));
      report("negentropyItemsReadingEachWrap", bench.events,
          () -> sink.consume(bench.negentropyItemsReadingEachWrap()));
    } finally {
      bench.deleteStore();
    }
  }

  private static void report(String name, int events, Runnable run) {
    java.lang.management.ThreadMXBean threads =
        java.lang.management.ManagementFactory.getThreadMXBean();
    for (int i = 0; i < 20; i++) {
      run.run();
    }
    long[] nanos = new long[30];
    for (int i = 0; i < nanos.length; i++) {
      long start = threads.getCurrentThreadCpuTime();
      run.run();
      nanos[i] = threads.getCurrentThreadCpuTime() - start;
    }
    java.util.Arrays.sort(nanos);
    System.out.printf("%s: CPU per event median %.2f us, min %.2f us (%d events)%n", name,
        nanos[nanos.length / 2] / 1e3 / events, nanos[0] / 1e3 / events, events);
  }
}
