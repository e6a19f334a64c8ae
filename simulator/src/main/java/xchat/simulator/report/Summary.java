package xchat.simulator.report;

import java.util.List;
import java.util.Locale;
import xchat.simulator.world.RunResult;

/**
 * Totals over a set of runs. "Events" are trace records: frames delivered or lost, faults,
 * workload actions, relay stores and engine events. "Tasks" are the actor, stream and callback
 * tasks the simulation thread ran for them.
 */
public record Summary(int seeds, long simulatedSeconds, long events, long tasks, long faults, long violations,
    long foreignTasks, long wallMillis, int failedSeeds) {

  public static Summary of(List<RunResult> results, long wallMillis) {
    long simulated = 0;
    long events = 0;
    long tasks = 0;
    long faults = 0;
    long violations = 0;
    long foreign = 0;
    int failed = 0;
    for (RunResult r : results) {
      simulated += r.simulatedMillis();
      events += r.events();
      tasks += r.tasks();
      faults += r.faultsInjected();
      violations += r.violations().size();
      foreign += r.foreignSubmissions();
      failed += r.ok() ? 0 : 1;
    }
    return new Summary(results.size(), simulated / 1000, events, tasks, faults, violations, foreign, wallMillis,
        failed);
  }

  public double runsPerSecond() {
    return wallMillis == 0 ? 0 : seeds * 1000.0 / wallMillis;
  }

  public double eventsPerSecond() {
    return wallMillis == 0 ? 0 : events * 1000.0 / wallMillis;
  }

  public double tasksPerSecond() {
    return wallMillis == 0 ? 0 : tasks * 1000.0 / wallMillis;
  }

  /** The table the command prints after the runs. */
  public String table() {
    String row = "%-24s %s%n";
    return String.format(Locale.ROOT, row, "seeds", seeds)
        + String.format(Locale.ROOT, row, "simulated time", simulatedSeconds + " s")
        + String.format(Locale.ROOT, row, "events", events)
        + String.format(Locale.ROOT, row, "faults injected", faults)
        + String.format(Locale.ROOT, row, "violations", violations + " (" + failedSeeds + " seeds failed)")
        + String.format(Locale.ROOT, row, "foreign-thread tasks", foreignTasks + (foreignTasks == 0 ? "" : " (determinism violated)"))
        + String.format(Locale.ROOT, row, "runs per second", String.format(Locale.ROOT, "%.3f", runsPerSecond()))
        + String.format(Locale.ROOT, row, "events per wall second", String.format(Locale.ROOT, "%.0f", eventsPerSecond()))
        + String.format(Locale.ROOT, row, "tasks per wall second", String.format(Locale.ROOT, "%.0f", tasksPerSecond()))
        + String.format(Locale.ROOT, row, "wall time", String.format(Locale.ROOT, "%.1f s", wallMillis / 1000.0));
  }
}
