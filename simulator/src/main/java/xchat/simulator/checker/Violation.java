package xchat.simulator.checker;

import java.util.List;

/**
 * One broken guarantee.
 *
 * @param at virtual ms when it was seen
 * @param refs the ids involved (rumor ids), to pick the trace records that matter
 * @param nodes the devices involved
 */
public record Violation(Guarantee guarantee, long at, String detail, List<String> refs, List<String> nodes) {
  public Violation {
    refs = List.copyOf(refs);
    nodes = List.copyOf(nodes);
  }

  @Override
  public String toString() {
    return "guarantee " + guarantee + " at " + at + " ms: " + detail;
  }
}
