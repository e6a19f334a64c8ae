package xchat.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import xchat.engine.api.InjectedBug;
import xchat.simulator.Simulator;
import xchat.simulator.faults.Fault;
import xchat.simulator.faults.Faults;
import xchat.simulator.net.LatencyModel;
import xchat.simulator.report.FailureReport;
import xchat.simulator.report.HtmlReport;
import xchat.simulator.report.Summary;
import xchat.simulator.world.RunResult;
import xchat.simulator.world.WorldConfig;

@Command(name = "simulate",
    description = {
      "Runs whole worlds (real engines, real relay logic, a hostile virtual network) on one thread in "
          + "virtual time, and checks the seven guarantees. One line per run: `seed S trace-hash HEX "
          + "violations N`; a summary table follows. Exit 1 when any run broke a guarantee or ran work "
          + "off the simulation's thread (a determinism violation).",
      "The same seed gives the same trace hash: a failing seed replays exactly."})
final class SimulateCommand implements Callable<Integer>, IoAware {
  @Option(names = "--seed", paramLabel = "S", description = "The (first) seed; alone, runs just this seed.")
  Long seed;

  @Option(names = "--seeds", paramLabel = "N", description = "How many seeds, from --seed or 1 (default 5).")
  Integer seeds;

  @Option(names = "--devices", paramLabel = "D", defaultValue = "6", description = "Devices at the start (default ${DEFAULT-VALUE}).")
  int devices;

  @Option(names = "--devices-per-account", paramLabel = "K", defaultValue = "2", description = "Devices per account (default ${DEFAULT-VALUE}).")
  int devicesPerAccount;

  @Option(names = "--relays", paramLabel = "R", defaultValue = "6", description = "Relays (default ${DEFAULT-VALUE}).")
  int relays;

  @Option(names = "--circles", paramLabel = "C", defaultValue = "2", description = "Circles, each with its own relays (default ${DEFAULT-VALUE}).")
  int circles;

  @Option(names = "--circles-per-account", paramLabel = "N", defaultValue = "0", description = "Circles each account is in, consecutive ones; 0 for all (default ${DEFAULT-VALUE}).")
  int circlesPerAccount;

  @Option(names = "--chaos", paramLabel = "SECONDS", defaultValue = "60", description = "Virtual seconds of workload and faults (default ${DEFAULT-VALUE}).")
  int chaos;

  @Option(names = "--settle", paramLabel = "SECONDS", defaultValue = "60", description = "Virtual seconds after healing, before the final sync and check (default ${DEFAULT-VALUE}).")
  int settle;

  @Option(names = "--sends-per-account", paramLabel = "N", defaultValue = "6", description = "Messages each account sends, on average (default ${DEFAULT-VALUE}).")
  double sendsPerAccount;

  @Option(names = "--faults", paramLabel = "all|none", defaultValue = "all", description = "Start from every fault at its default rate, or from none (default ${DEFAULT-VALUE}).")
  String faultBase;

  @Option(names = "--fault", paramLabel = "NAME=RATE", description = "Sets one fault's rate; 0 switches it off. See --list-faults.")
  List<String> faultRates = new ArrayList<>();

  @Option(names = "--no-fault", paramLabel = "NAME", description = "Switches one fault off.")
  List<String> faultsOff = new ArrayList<>();

  @Option(names = "--latency", paramLabel = "DIST", defaultValue = "exponential", description = "Latency distribution: uniform, exponential or pareto (default ${DEFAULT-VALUE}).")
  String latency;

  @Option(names = "--latency-ms", paramLabel = "MS", defaultValue = "40", description = "Mean one-way latency of a link (default ${DEFAULT-VALUE}).")
  long latencyMillis;

  @Option(names = "--inject-bug", paramLabel = "NAME", description = "Switches on a known engine bug (mutation testing). See --list-bugs.")
  List<String> bugs = new ArrayList<>();

  @Option(names = "--list-bugs", description = "Lists the bugs --inject-bug knows.")
  boolean listBugs;

  @Option(names = "--list-faults", description = "Lists the faults with their default rates.")
  boolean listFaults;

  @Option(names = "--report", paramLabel = "FILE.html", description = "Writes a self-contained HTML timeline of the first failing seed (or the first seed).")
  Path report;

  @Option(names = "--no-at-rest-scan", description = "Skips reading every device's files for plaintext (guarantee 7) at the end.")
  boolean noAtRestScan;

  @Option(names = "--stop-on-failure", description = "Stops at the first seed that breaks a guarantee.")
  boolean stopOnFailure;

  @Option(names = "--data", paramLabel = "DIR", description = "Where the worlds' stores go (default: a temporary directory, in /dev/shm when there is one); kept afterwards.")
  Path data;

  private Io io;

  @Override
  public void io(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    if (listBugs) {
      for (InjectedBug bug : InjectedBug.values()) {
        io.out().println(bug.flag());
      }
      return 0;
    }
    if (listFaults) {
      for (Fault fault : Fault.values()) {
        io.out().printf(Locale.ROOT, "%-20s %-8s %s%n", fault.flag(), fault.defaultRate(), fault.meaning());
      }
      return 0;
    }
    WorldConfig base = config();
    String flags = flags();
    long first = seed == null ? 1 : seed;
    int count = seeds != null ? seeds : seed != null ? 1 : 5;
    if (count < 1) {
      throw new UsageException("--seeds must be at least 1");
    }
    List<RunResult> results = new ArrayList<>();
    RunResult shown = null;
    long start = System.nanoTime();
    for (long s = first; s < first + count; s++) {
      RunResult result = Simulator.run(base.withSeed(s));
      results.add(result.withoutTrace());
      io.out().println(result.line());
      io.out().flush();
      if (!result.ok()) {
        io.err().print(FailureReport.of(result, flags));
        io.err().flush();
      }
      if (report != null && (shown == null || (shown.ok() && !result.ok()))) {
        shown = result;
      }
      if (!result.ok() && stopOnFailure) {
        break;
      }
    }
    long wall = (System.nanoTime() - start) / 1_000_000;
    Summary summary = Summary.of(results, wall);
    io.out().print(summary.table());
    if (report != null && shown != null) {
      try {
        Files.writeString(report, HtmlReport.render(shown, flags, HtmlReport.rows(List.of(shown), shown.wallMillis())),
            StandardCharsets.UTF_8);
        io.out().println("report: " + report);
      } catch (IOException e) {
        io.err().println("xchat: cannot write " + report + ": " + e.getMessage());
        return 1;
      }
    }
    return summary.failedSeeds() == 0 ? 0 : 1;
  }

  private WorldConfig config() {
    Faults faults = switch (faultBase) {
      case "all" -> Faults.all();
      case "none" -> Faults.none();
      default -> throw new UsageException("--faults is all or none");
    };
    for (String spec : faultRates) {
      int eq = spec.indexOf('=');
      if (eq < 0) {
        throw new UsageException("--fault takes NAME=RATE");
      }
      Fault fault = fault(spec.substring(0, eq));
      try {
        faults = faults.with(fault, Double.parseDouble(spec.substring(eq + 1)));
      } catch (IllegalArgumentException e) {
        throw new UsageException("--fault " + spec + ": the rate is a non-negative number");
      }
    }
    for (String name : faultsOff) {
      faults = faults.without(fault(name));
    }
    Set<InjectedBug> injected = EnumSet.noneOf(InjectedBug.class);
    for (String name : bugs) {
      injected.add(InjectedBug.ofFlag(name).orElseThrow(() ->
          new UsageException("no bug named " + name + "; see --list-bugs")));
    }
    LatencyModel.Distribution distribution;
    try {
      distribution = LatencyModel.Distribution.parse(latency);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--latency is uniform, exponential or pareto");
    }
    if (latencyMillis < 0 || chaos < 1 || settle < 1 || sendsPerAccount < 0) {
      throw new UsageException("latency, chaos, settle and sends must not be negative");
    }
    try {
      WorldConfig config = WorldConfig.defaults(1)
          .withDevicesPerAccount(devicesPerAccount)
          .withSize(devices, relays, circles)
          .withCirclesPerAccount(circlesPerAccount)
          .withTiming(Duration.ofSeconds(chaos), Duration.ofSeconds(settle), sendsPerAccount)
          .withFaults(faults)
          .withLatency(new LatencyModel(distribution, latencyMillis))
          .withBugs(injected)
          .withScanAtRest(!noAtRestScan);
      if (devices > 200) {
        config = config.withTraceCapacity(20_000);
      }
      return data == null ? config : config.withRoot(data);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  private static Fault fault(String name) {
    return Fault.ofFlag(name).orElseThrow(() -> new UsageException("no fault named " + name + "; see --list-faults"));
  }

  /** The switches that shape a run, so a failure line can be replayed as is. */
  private String flags() {
    StringBuilder out = new StringBuilder();
    out.append("--devices ").append(devices).append(" --relays ").append(relays).append(" --circles ").append(circles);
    if (circlesPerAccount != 0) {
      out.append(" --circles-per-account ").append(circlesPerAccount);
    }
    if (devicesPerAccount != 2) {
      out.append(" --devices-per-account ").append(devicesPerAccount);
    }
    if (chaos != 60 || settle != 60) {
      out.append(" --chaos ").append(chaos).append(" --settle ").append(settle);
    }
    if (sendsPerAccount != 6) {
      out.append(" --sends-per-account ").append(sendsPerAccount);
    }
    if (!faultBase.equals("all")) {
      out.append(" --faults ").append(faultBase);
    }
    faultRates.forEach(f -> out.append(" --fault ").append(f));
    faultsOff.forEach(f -> out.append(" --no-fault ").append(f));
    if (!latency.equals("exponential") || latencyMillis != 40) {
      out.append(" --latency ").append(latency).append(" --latency-ms ").append(latencyMillis);
    }
    bugs.forEach(b -> out.append(" --inject-bug ").append(b));
    if (noAtRestScan) {
      out.append(" --no-at-rest-scan");
    }
    return out.toString();
  }
}
