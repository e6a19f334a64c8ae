package xchat.simulator.report;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import xchat.simulator.checker.Violation;
import xchat.simulator.world.RunResult;

/**
 * What a failed run prints: the seed and flags to replay it, the first guarantee that broke, and
 * the trace records that involve what broke it.
 */
public final class FailureReport {
  private FailureReport() {}

  public static String of(RunResult result, String flags) {
    if (result.ok()) {
      return "seed " + result.config().seed() + ": no violations";
    }
    if (result.violations().isEmpty()) {
      return determinism(result, flags, new StringBuilder()).toString();
    }
    Violation first = result.violations().stream()
        .min((a, b) -> a.at() != b.at() ? Long.compare(a.at(), b.at())
            : Integer.compare(a.guarantee().number(), b.guarantee().number()))
        .orElseThrow();
    StringBuilder out = new StringBuilder();
    out.append("FAILED seed ").append(result.config().seed()).append('\n');
    out.append("  replay: ./xchat simulate --seed ").append(result.config().seed()).append(' ').append(flags).append('\n');
    out.append("  first violated guarantee: ").append(first.guarantee()).append('\n');
    out.append("  ").append(first.detail()).append('\n');
    List<String> others = result.violations().stream()
        .map(v -> v.guarantee().toString()).distinct().collect(Collectors.toCollection(ArrayList::new));
    out.append("  violations: ").append(result.violations().size()).append(" (guarantees ").append(others).append(")\n");
    List<String> refs = new ArrayList<>(first.refs());
    first.refs().forEach(ref -> refs.addAll(result.wrapsOfViolations().getOrDefault(ref, java.util.Set.of())));
    List<Trace.Event> involved = new ArrayList<>(refs.isEmpty()
        ? List.<Trace.Event>of() : relevant(result.trace(), refs));
    if (involved.isEmpty()) {
      involved = lastOn(result.trace(), first.nodes(), 20);
    }
    out.append("  trace of the events involved (virtual ms, kind, where, peer, what):\n");
    for (Trace.Event event : involved) {
      out.append("    ").append(event).append('\n');
    }
    if (!result.replayable()) {
      determinism(result, flags, out);
    }
    return out.toString();
  }

  /** Work that ran outside the simulation's thread: where the first of it came from. */
  private static StringBuilder determinism(RunResult result, String flags, StringBuilder out) {
    if (out.isEmpty()) {
      out.append("FAILED seed ").append(result.config().seed()).append('\n');
      out.append("  replay: ./xchat simulate --seed ").append(result.config().seed()).append(' ').append(flags).append('\n');
    }
    out.append("  determinism violated: ").append(result.foreignSubmissions())
        .append(" tasks arrived from other threads, so the run may not replay; the first:\n");
    result.foreignTasks().stream().limit(3).forEach(task ->
        task.toString().lines().limit(25).forEach(line -> out.append("    ").append(line).append('\n')));
    return out;
  }

  /** The records that mention the ids, plus the wraps that carried them (their frames and stores). */
  private static List<Trace.Event> relevant(List<Trace.Event> trace, List<String> refs) {
    List<Trace.Event> hits = new ArrayList<>();
    for (Trace.Event event : trace) {
      if (event.refs().stream().anyMatch(refs::contains)
          || refs.stream().anyMatch(r -> event.detail().contains(r.substring(0, Math.min(12, r.length()))))) {
        hits.add(event);
      }
    }
    if (hits.size() <= 30) {
      return hits;
    }
    // How it started (the send, the first stores) and how it ended.
    List<Trace.Event> out = new ArrayList<>(hits.subList(0, 10));
    out.add(new Trace.Event(hits.get(10).at(), Trace.Kind.CHECK, "...", null,
        (hits.size() - 30) + " more records", List.of()));
    out.addAll(hits.subList(hits.size() - 20, hits.size()));
    return out;
  }

  private static List<Trace.Event> lastOn(List<Trace.Event> trace, List<String> nodes, int limit) {
    List<Trace.Event> hits = new ArrayList<>();
    for (Trace.Event event : trace) {
      if (nodes.contains(event.node()) && event.kind() != Trace.Kind.FRAME) {
        hits.add(event);
      }
    }
    return hits.size() <= limit ? hits : hits.subList(hits.size() - limit, hits.size());
  }
}
