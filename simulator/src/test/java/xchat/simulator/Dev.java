package xchat.simulator;

import java.time.Duration;
import xchat.simulator.faults.Faults;
import xchat.simulator.world.RunResult;
import xchat.simulator.world.WorldConfig;

/** Runs one world from the command line while developing: Dev SEED [quiet|all] DEVICES RELAYS CIRCLES CHAOS_S. */
public final class Dev {
  public static void main(String[] args) {
    long seed = Long.parseLong(args[0]);
    Faults faults = args.length > 1 && args[1].equals("quiet") ? Faults.none() : Faults.all();
    int devices = args.length > 2 ? Integer.parseInt(args[2]) : 6;
    int relays = args.length > 3 ? Integer.parseInt(args[3]) : 6;
    int circles = args.length > 4 ? Integer.parseInt(args[4]) : 2;
    int chaos = args.length > 5 ? Integer.parseInt(args[5]) : 60;
    WorldConfig config = WorldConfig.defaults(seed).withFaults(faults).withSize(devices, relays, circles)
        .withTiming(Duration.ofSeconds(chaos), Duration.ofSeconds(60), 6);
    if (args.length > 6) {
      config = config.withBugs(java.util.Set.of(xchat.engine.api.InjectedBug.ofFlag(args[6]).orElseThrow()));
    }
    RunResult result = Simulator.run(config);
    System.out.println(result.line() + " in " + result.wallMillis() + " ms, " + result.events() + " events, "
        + result.tasks() + " tasks, " + result.messagesSent() + " sent, " + result.deletions() + " deleted, faults "
        + result.faultsInjected() + ", foreign " + result.foreignSubmissions());
    result.relays().forEach((k, v) -> System.out.println("  " + k + " " + v));
    if (!result.ok()) {
      System.out.println(xchat.simulator.report.FailureReport.of(result, ""));
    }
    System.exit(0);
  }
}
