package xchat.cli.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import xchat.relay.bench.RelayBench;
import xchat.relay.store.Durability;

/** {@link RelayBench} at sizes for a command line run, with a report. */
public final class RelayBenchmark {
  public static final List<Integer> CONNECTIONS = List.of(1, 8, 64);

  public record Result(Map<Integer, Double> eventsPerSecond, RelayBench.StoredResults stored) {}

  private final RelayBench.Options options;
  private final Progress progress;

  public RelayBenchmark(int storedEvents, int publishEvents, int queries, long seed, Durability durability,
      Progress progress) {
    if (storedEvents < 100 || publishEvents < CONNECTIONS.get(CONNECTIONS.size() - 1) || queries < 1) {
      throw new IllegalArgumentException("at least 100 stored events, 64 published events and 1 query");
    }
    this.options = new RelayBench.Options(storedEvents, publishEvents, queries, seed, durability);
    this.progress = progress;
  }

  public Result measure() throws Exception {
    Map<Integer, Double> rates = new LinkedHashMap<>();
    for (int connections : CONNECTIONS) {
      progress.phase(String.format("%,d EVENTs over %d connection(s)", options.publishEvents(), connections));
      rates.put(connections, RelayBench.publishThroughput(options, connections));
    }
    progress.phase(String.format("storing %,d events, then %,d REQs per filter and a NIP-77 sync",
        options.storedEvents(), options.queries()));
    RelayBench.StoredResults stored = RelayBench.storedBenchmarks(options);
    progress.done();
    return new Result(rates, stored);
  }

  public BenchReport report(Result result, String command) {
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("stored events", options.storedEvents());
    parameters.put("published events", options.publishEvents());
    parameters.put("queries per filter", options.queries());
    parameters.put("durability", options.durability().name());
    parameters.put("seed", options.seed());
    List<List<Object>> publish = new ArrayList<>();
    List<BenchReport.Bar> publishBars = new ArrayList<>();
    result.eventsPerSecond().forEach((connections, rate) -> {
      publish.add(List.of(connections, options.publishEvents() / connections * connections, rate));
      publishBars.add(new BenchReport.Bar(connections + " connection(s)", "EVENT", rate));
    });
    List<List<Object>> queries = new ArrayList<>();
    List<BenchReport.Bar> queryBars = new ArrayList<>();
    for (RelayBench.ReqLatency q : result.stored().queries()) {
      queries.add(List.of(q.label(), q.queries(), q.eventsPerQuery(), q.p50Millis(), q.p99Millis()));
      queryBars.add(new BenchReport.Bar(q.label(), "p50", q.p50Millis()));
      queryBars.add(new BenchReport.Bar(q.label(), "p99", q.p99Millis()));
    }
    RelayBench.Reconcile r = result.stored().reconcile();
    return new BenchReport("relay", "xchat bench relay: accepted EVENTs per second and REQ latency", command,
        parameters, Machine.describe(),
        List.of(
            new BenchReport.Table("EVENT -> OK true", List.of("connections", "events", "accepted"),
                List.of("", "", "events/s"), publish),
            new BenchReport.Table(String.format("REQ -> EOSE over %,d stored events", result.stored().events()),
                List.of("filter", "queries", "events each", "p50", "p99"), List.of("", "", "", "ms", "ms"), queries),
            new BenchReport.Table("NIP-77 against a client missing 1%",
                List.of("items", "missing", "time", "rounds", "bytes up", "bytes down"),
                List.of("", "", "ms", "", "B", "B"),
                List.of(List.of(r.items(), r.missing(), r.millis(), r.rounds(), r.bytesUp(), r.bytesDown())))),
        List.of(new BenchReport.Chart("Accepted EVENTs per second", "events/s", publishBars),
            new BenchReport.Chart("REQ latency", "ms", queryBars)),
        List.of("Real WebSockets on loopback; events are signed before the clock starts, so the rate is the "
                + "relay's (signature checks and durable writes included).",
            "Durability " + options.durability() + ": " + (options.durability() == Durability.SYNC
                ? "OK is sent once the write-ahead log is fsynced (group commit)."
                : "OK is sent once the write is in the OS page cache."),
            "Stored events: 1000 authors over 30 days, 70% kind 1, 20% kind 7, 10% kind 1059; "
                + "the REQ figures follow 100 warm-up queries."));
  }
}
