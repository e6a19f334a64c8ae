package xchat.simulator;

import java.time.Duration;
import xchat.simulator.faults.Faults;
import xchat.simulator.world.RunResult;
import xchat.simulator.world.WorldConfig;

/**
 * Runs one world while developing, configured by system properties (sim.seed, sim.faults=all|none,
 * sim.devices, sim.relays, sim.circles, sim.cpa, sim.chaos, sim.settle, sim.sends, sim.bug, sim.scan).
 */
public final class Dev {
  public static void main(String[] args) {
    long seed = Long.getLong("sim.seed", 1);
    Faults faults = System.getProperty("sim.faults", "all").equals("none") ? Faults.none() : Faults.all();
    WorldConfig config = WorldConfig.defaults(seed).withFaults(faults)
        .withSize(Integer.getInteger("sim.devices", 6), Integer.getInteger("sim.relays", 6),
            Integer.getInteger("sim.circles", 2))
        .withCirclesPerAccount(Integer.getInteger("sim.cpa", 0))
        .withTiming(Duration.ofSeconds(Integer.getInteger("sim.chaos", 60)),
            Duration.ofSeconds(Integer.getInteger("sim.settle", 60)),
            Double.parseDouble(System.getProperty("sim.sends", "6")))
        .withScanAtRest(Boolean.parseBoolean(System.getProperty("sim.scan", "true")))
        .withTraceCapacity(Integer.getInteger("sim.trace", 50_000));
    if (System.getProperty("sim.root") != null) {
      config = config.withRoot(java.nio.file.Path.of(System.getProperty("sim.root")));
    }
    String bug = System.getProperty("sim.bug");
    if (bug != null) {
      config = config.withBugs(java.util.Set.of(xchat.engine.api.InjectedBug.ofFlag(bug).orElseThrow()));
    }
    RunResult result = Simulator.run(config);
    System.out.println(result.line() + " in " + result.wallMillis() + " ms, " + result.events() + " events, "
        + result.tasks() + " tasks, " + result.messagesSent() + " sent, " + result.deletions() + " deleted, faults "
        + result.faultsInjected() + ", frames " + result.framesDelivered() + ", foreign " + result.foreignSubmissions() + " " + result.foreignTasks());
    if (!result.ok()) {
      System.out.println(xchat.simulator.report.FailureReport.of(result, ""));
    }
    System.exit(0);
  }
}
