package xchat.simulator.world;

import java.util.List;
import java.util.Map;
import xchat.simulator.checker.Violation;
import xchat.simulator.report.Trace;

/**
 * What one run came to.
 *
 * @param events trace records (frames, faults, actions, stores, engine events)
 * @param tasks actor and stream tasks run on the simulation thread
 * @param foreignSubmissions tasks that arrived from another thread: 0 when the run was fully replayable
 * @param foreignTasks the first of them, with their stacks: each is a determinism violation
 * @param relays each relay's name, URL and nature, for the report
 * @param wrapsOfViolations for each rumor id a violation names, the gift wraps that carried it
 */
public record RunResult(
    WorldConfig config,
    String traceHash,
    List<Violation> violations,
    long simulatedMillis,
    long events,
    long tasks,
    long framesDelivered,
    long faultsInjected,
    long checks,
    int messagesSent,
    int deletions,
    long wallMillis,
    long foreignSubmissions,
    List<ForeignTask> foreignTasks,
    List<Trace.Event> trace,
    List<String> devices,
    Map<String, String> relays,
    Map<String, java.util.Set<String>> wrapsOfViolations) {

  /** The same result without its trace records, to keep many runs in memory. */
  public RunResult withoutTrace() {
    return new RunResult(config, traceHash, violations, simulatedMillis, events, tasks, framesDelivered,
        faultsInjected, checks, messagesSent, deletions, wallMillis, foreignSubmissions, foreignTasks, List.of(), devices, relays,
        wrapsOfViolations);
  }

  public RunResult {
    violations = List.copyOf(violations);
    foreignTasks = List.copyOf(foreignTasks);
  }

  /** Every guarantee held, and every task ran on the simulation's thread (the run replays). */
  public boolean ok() {
    return violations.isEmpty() && replayable();
  }

  /** No task arrived from another thread: the trace is a function of the seed. */
  public boolean replayable() {
    return foreignSubmissions == 0;
  }

  /** The one line per run that scripts read. */
  public String line() {
    return "seed " + config.seed() + " trace-hash " + traceHash + " violations " + violations.size()
        + (replayable() ? "" : " foreign-tasks " + foreignSubmissions);
  }
}
