package xchat.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import xchat.cli.bench.BenchReport;
import xchat.cli.bench.IngestBench;
import xchat.cli.bench.MediaBench;
import xchat.cli.bench.Progress;
import xchat.cli.bench.RelayBenchmark;
import xchat.cli.bench.ReportWriter;
import xchat.cli.bench.SendBench;
import xchat.cli.bench.SyncBench;
import xchat.relay.store.Durability;

@Command(name = "bench", description = "Measure xchat on this machine: ingest, send, sync (NIP-77), the relay and "
    + "media. "
    + "Each prints a table; --json and --html write the figures.",
    subcommands = {BenchCommand.Ingest.class, BenchCommand.Send.class, BenchCommand.Sync.class,
        BenchCommand.Relay.class, BenchCommand.Media.class})
final class BenchCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "say which bench: ingest, send, sync, relay or media");
  }

  /** Where the figures go besides the terminal. */
  static final class Output {
    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON.")
    Path json;

    @Option(names = "--html", paramLabel = "FILE", description = "Also write a self-contained HTML page with a chart.")
    Path html;

    int emit(BenchReport report, Io io) throws IOException {
      ReportWriter.printText(report, io.out());
      if (json != null) {
        ReportWriter.writeJson(report, json);
        io.out().println("JSON written to " + json);
      }
      if (html != null) {
        ReportWriter.writeHtml(report, html);
        io.out().println("HTML written to " + html);
      }
      io.out().flush();
      return 0;
    }
  }

  /** The command line that reproduces a run, options included. */
  static String command(String bench, List<String> options) {
    List<String> words = new ArrayList<>(List.of("./xchat", "bench", bench));
    words.addAll(options);
    return String.join(" ", words);
  }

  /** What every bench shares: the output options, and the command line that reproduces it. */
  abstract static class BenchRun implements Callable<Integer>, IoAware {
    @Mixin Output output;
    @Spec CommandSpec spec;
    private Io io;

    @Override
    public void io(Io io) {
      this.io = io;
    }

    /** The options as they were given, for the reproducing command line. */
    abstract List<String> arguments();

    abstract BenchReport measure(Progress progress, String command) throws Exception;

    @Override
    public final Integer call() throws Exception {
      String command = command(spec.name(), arguments());
      return output.emit(measure(Progress.forTerminal(io.err()), command), io);
    }

    /** Builds a bench's options; values the bench refuses are a usage error. */
    static <T> T validated(Supplier<T> options) {
      try {
        return options.get();
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
    }
  }

  @Command(name = "sync", description = "NIP-77 reconciliation of N ids that differ by 0.1%%, 1%% and 10%%: time, "
      + "rounds and bytes, next to the bytes of sending every id.")
  static final class Sync extends BenchRun {
    @Option(names = "--sizes", split = ",", paramLabel = "N[,N]", defaultValue = "100000,1000000",
        description = "Set sizes (default ${DEFAULT-VALUE}).")
    List<Integer> sizes;

    @Option(names = "--differences", split = ",", paramLabel = "F[,F]", defaultValue = "0.001,0.01,0.1",
        description = "Fractions of ids on one side only (default ${DEFAULT-VALUE}).")
    List<Double> differences;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the random ids (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    List<String> arguments() {
      return List.of("--sizes", join(sizes), "--differences", join(differences), "--seed", Long.toString(seed));
    }

    @Override
    BenchReport measure(Progress progress, String command) throws Exception {
      SyncBench bench = new SyncBench(validated(() -> new SyncBench.Options(sizes, differences, seed)), progress);
      return bench.report(bench.measure(), command);
    }
  }

  @Command(name = "ingest", description = "Gift wraps from a local relay into the encrypted log, end to end: "
      + "wraps/s, live p50/p99 latency, and the ratio to the crypto floor measured in the same run.")
  static final class Ingest extends BenchRun {
    @Option(names = "--wraps", defaultValue = "5000", description = "Wraps a new device catches up on (default ${DEFAULT-VALUE}).")
    int wraps;

    @Option(names = "--live", defaultValue = "300", description = "Wraps received live, for latency (default ${DEFAULT-VALUE}).")
    int live;

    @Option(names = "--senders", defaultValue = "16", description = "Distinct senders (default ${DEFAULT-VALUE}).")
    int senders;

    // On 2 cores the C2 queue drains only after ~180k wraps (per-batch loops reach C2 late); --warm-jit ends it sooner.
    @Option(names = "--rounds", defaultValue = "30", description = "The most catch-up rounds, each by a new device; "
        + "the earlier ones warm the JIT up, the last is measured (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--warm-jit", defaultValue = "10", paramLabel = "PERCENT", description = "Warm-up ends after the "
        + "first round whose JIT compilers' CPU is below this share of its CPU; 0 runs every round "
        + "(default ${DEFAULT-VALUE}).")
    int warmJit;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of keys and messages (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    List<String> arguments() {
      return List.of("--wraps", Integer.toString(wraps), "--live", Integer.toString(live),
          "--senders", Integer.toString(senders), "--rounds", Integer.toString(rounds), "--warm-jit", Integer.toString(warmJit), "--seed", Long.toString(seed));
    }

    @Override
    BenchReport measure(Progress progress, String command) throws Exception {
      IngestBench bench = new IngestBench(
          validated(() -> new IngestBench.Options(wraps, live, senders, rounds, warmJit, seed)), progress);
      return bench.report(bench.measure(), command);
    }
  }

  @Command(name = "send", description = "Wrap, publish and wait for OK on a loopback relay: p50/p99 from send to "
      + "SENT, one at a time, and the rate of a burst.")
  static final class Send extends BenchRun {
    @Option(names = "--sends", defaultValue = "300", description = "Sends timed one at a time (default ${DEFAULT-VALUE}).")
    int sends;

    @Option(names = "--burst", defaultValue = "200", description = "Sends issued at once (default ${DEFAULT-VALUE}).")
    int burst;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the keys (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    List<String> arguments() {
      return List.of("--sends", Integer.toString(sends), "--burst", Integer.toString(burst),
          "--seed", Long.toString(seed));
    }

    @Override
    BenchReport measure(Progress progress, String command) throws Exception {
      SendBench bench = new SendBench(validated(() -> new SendBench.Options(sends, burst, seed)), progress);
      return bench.report(bench.measure(), command);
    }
  }

  @Command(name = "media", description = "Encrypted files through the relay's Blossom server on loopback: send-file "
      + "and get-file MB/s next to a plain copy of the same bytes, and the heap's peak during each.")
  static final class Media extends BenchRun {
    @Option(names = "--size-mb", defaultValue = "256", description = "File size in MB (default ${DEFAULT-VALUE}).")
    long sizeMb;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the keys and bytes (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    List<String> arguments() {
      return List.of("--size-mb", Long.toString(sizeMb), "--seed", Long.toString(seed));
    }

    @Override
    BenchReport measure(Progress progress, String command) throws Exception {
      MediaBench bench = new MediaBench(validated(() -> new MediaBench.Options(sizeMb * 1_000_000L, seed)), progress);
      return bench.report(bench.measure(), command);
    }
  }

  @Command(name = "relay", description = "The relay alone, over loopback WebSockets: accepted EVENTs/s with 1, 8 "
      + "and 64 connections, REQ latency over stored events, one NIP-77 sync.")
  static final class Relay extends BenchRun {
    @Option(names = "--events", defaultValue = "20000", description = "Events stored for the REQ figures (default ${DEFAULT-VALUE}).")
    int events;

    @Option(names = "--publish", defaultValue = "5000", description = "Events published per connection count (default ${DEFAULT-VALUE}).")
    int publish;

    @Option(names = "--queries", defaultValue = "200", description = "REQs per filter (default ${DEFAULT-VALUE}).")
    int queries;

    @Option(names = "--durability", defaultValue = "SYNC", description = "SYNC (fsync before OK) or WAL (default ${DEFAULT-VALUE}).")
    Durability durability;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of keys and events (default ${DEFAULT-VALUE}).")
    long seed;

    @Override
    List<String> arguments() {
      return List.of("--events", Integer.toString(events), "--publish", Integer.toString(publish),
          "--queries", Integer.toString(queries), "--durability", durability.name(), "--seed", Long.toString(seed));
    }

    @Override
    BenchReport measure(Progress progress, String command) throws Exception {
      RelayBenchmark bench = validated(() -> new RelayBenchmark(events, publish, queries, seed, durability, progress));
      return bench.report(bench.measure(), command);
    }
  }

  static String join(List<?> values) {
    return String.join(",", values.stream().map(String::valueOf).toList());
  }
}
