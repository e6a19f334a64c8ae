package xchat.cli.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import xchat.protocol.nip77.Item;
import xchat.protocol.nip77.NegentropySession;
import xchat.protocol.nip77.SortedVectorStorage;

/**
 * NIP-77 reconciliation cost, both sides in one process ({@link NegentropySession#reconcileInMemory}):
 * time, round trips and bytes for sets of N ids that differ by a fraction, against the bytes of
 * simply sending every id.
 */
public final class SyncBench {
  /** The frame size the engine and relay use (strfry's default). */
  public static final int FRAME_LIMIT = 60_000;

  public record Options(List<Integer> sizes, List<Double> differences, long seed) {
    public Options {
      sizes = List.copyOf(sizes);
      differences = List.copyOf(differences);
      if (sizes.isEmpty() || differences.isEmpty()) {
        throw new IllegalArgumentException("at least one size and one difference");
      }
      for (int size : sizes) {
        if (size < 10) {
          throw new IllegalArgumentException("a set has at least 10 items");
        }
      }
      for (double difference : differences) {
        if (!(difference > 0 && difference <= 1)) {
          throw new IllegalArgumentException("a difference is in (0, 1]");
        }
      }
    }

    public static Options defaults() {
      return new Options(List.of(100_000, 1_000_000), List.of(0.001, 0.01, 0.1), 42);
    }
  }

  /** One reconciliation. */
  public record Run(int items, double difference, int clientOnly, int serverOnly, double millis,
                    NegentropySession.Stats stats) {
    public long allIdsBytes() {
      return (long) items * Item.ID_SIZE;
    }
  }

  private final Options options;
  private final Progress progress;

  public SyncBench(Options options, Progress progress) {
    this.options = options;
    this.progress = progress;
  }

  public List<Run> measure() {
    warmUp();
    List<Run> runs = new ArrayList<>();
    for (int size : options.sizes()) {
      for (double difference : options.differences()) {
        progress.phase(String.format("reconciling %,d items, %s%% apart", size, percent(difference)));
        runs.add(reconcile(size, difference, new SplittableRandom(options.seed() ^ size ^ Double.hashCode(difference))));
      }
    }
    progress.done();
    return runs;
  }

  private void warmUp() {
    progress.phase("warming up the JIT");
    SplittableRandom random = new SplittableRandom(options.seed());
    for (int i = 0; i < 3; i++) {
      reconcile(20_000, 0.05, random.split());
    }
  }

  /**
   * Of {@code size} ids, a fraction {@code difference} is on one side only: half of it only on the
   * client, half only on the server, so both directions are exercised.
   */
  static Run reconcile(int size, double difference, SplittableRandom random) {
    long now = System.currentTimeMillis() / 1000;
    int differing = Math.max(2, (int) Math.round(size * difference));
    int clientOnly = differing / 2;
    int serverOnly = differing - clientOnly;
    List<Item> client = new ArrayList<>(size);
    List<Item> server = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      byte[] id = new byte[Item.ID_SIZE];
      random.nextBytes(id);
      Item item = new Item(now - random.nextLong(30L * 24 * 3600), id);
      if (i < clientOnly) {
        client.add(item);
      } else if (i < differing) {
        server.add(item);
      } else {
        client.add(item);
        server.add(item);
      }
    }
    SortedVectorStorage clientStorage = SortedVectorStorage.of(client);
    SortedVectorStorage serverStorage = SortedVectorStorage.of(server);
    client = null;
    server = null;
    long start = System.nanoTime();
    NegentropySession.Result result = NegentropySession.reconcileInMemory(clientStorage, serverStorage, FRAME_LIMIT);
    double millis = (System.nanoTime() - start) / 1e6;
    if (result.stats().haveCount() != clientOnly || result.stats().needCount() != serverOnly) {
      throw new IllegalStateException("reconciliation found " + result.stats().haveCount() + " + "
          + result.stats().needCount() + " differences, expected " + clientOnly + " + " + serverOnly);
    }
    return new Run(size, difference, clientOnly, serverOnly, millis, result.stats());
  }

  public BenchReport report(List<Run> runs, String command) {
    List<List<Object>> rows = new ArrayList<>();
    List<BenchReport.Bar> bars = new ArrayList<>();
    for (Run run : runs) {
      NegentropySession.Stats stats = run.stats();
      rows.add(List.of(run.items(), percent(run.difference()) + "%", run.clientOnly() + run.serverOnly(),
          run.millis(), stats.rounds(), stats.bytesClientToServer(), stats.bytesServerToClient(),
          stats.totalBytes(), run.allIdsBytes(), 100.0 * stats.totalBytes() / run.allIdsBytes()));
      String label = String.format("%,d items, %s%%", run.items(), percent(run.difference()));
      bars.add(new BenchReport.Bar(label, "NIP-77", stats.totalBytes() / 1024.0));
      bars.add(new BenchReport.Bar(label, "every id", run.allIdsBytes() / 1024.0));
    }
    List<BenchReport.Bar> time = runs.stream().map(run -> new BenchReport.Bar(
        String.format("%,d items, %s%%", run.items(), percent(run.difference())), "time", run.millis())).toList();
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("sizes", options.sizes());
    parameters.put("differences", options.differences());
    parameters.put("frame limit", FRAME_LIMIT);
    parameters.put("seed", options.seed());
    return new BenchReport("sync", "xchat bench sync: NIP-77 reconciliation vs sending every id", command,
        parameters, Machine.describe(),
        List.of(new BenchReport.Table("NIP-77 reconcile, frame limit " + FRAME_LIMIT + " B",
            List.of("items", "difference", "differing ids", "time", "rounds", "client->server", "server->client",
                "total", "every id", "total / every id"),
            List.of("", "", "", "ms", "", "B", "B", "B", "B", "%"), rows)),
        List.of(new BenchReport.Chart("Bytes exchanged: NIP-77 vs sending every id (32 B each)", "KiB", bars),
            new BenchReport.Chart("Reconcile time", "ms", time)),
        List.of("Both sides run in one process (NegentropySession.reconcileInMemory): the figures are CPU time and "
                + "protocol bytes, no network.",
            "Of N ids, the stated fraction is on one side only, half on each side; ids are random 32-byte values "
                + "with timestamps spread over 30 days.",
            "'every id' is N x 32 bytes: what a client would send to list its whole set once.",
            "The JIT is warmed up on three 20,000-item runs first; each figure is one run."));
  }

  static String percent(double fraction) {
    return java.math.BigDecimal.valueOf(fraction).movePointRight(2).stripTrailingZeros().toPlainString();
  }
}
