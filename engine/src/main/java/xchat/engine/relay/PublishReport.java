package xchat.engine.relay;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import xchat.engine.transport.RelayUrl;
import xchat.protocol.event.EventId;

/**
 * Where one event stands across the relays of a circle when its publish call returns.
 *
 * @param satisfied at least {@code requiredAcks} relays accepted it (or had it already)
 * @param outcomes final outcomes so far, per relay
 * @param pending relays that had not answered yet (down, or still retrying); their outcomes
 *     still arrive at the pool's outcome listener
 */
public record PublishReport(
    EventId eventId,
    int requiredAcks,
    boolean satisfied,
    Map<RelayUrl, PublishOutcome> outcomes,
    Set<RelayUrl> pending) {

  public PublishReport {
    Objects.requireNonNull(eventId, "eventId");
    outcomes = Map.copyOf(outcomes);
    pending = Set.copyOf(pending);
  }

  public long acknowledgements() {
    return outcomes.values().stream().filter(PublishOutcome::isSuccess).count();
  }

  /** Outcomes sorted by relay, for stable printing. */
  public Map<RelayUrl, PublishOutcome> sortedOutcomes() {
    return new TreeMap<>(outcomes);
  }

  public Set<RelayUrl> sortedPending() {
    return new TreeSet<>(pending);
  }
}
