package xchat.engine.api;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Who confirmed a deletion for everyone.
 *
 * @param relays per relay of the circle: its answer to the NIP-09 request to delete the wraps
 *     addressed to us
 * @param devices this account's devices (ids) that have applied the deletion, this one included
 */
public record DeletionReport(
    String messageId, Map<String, RelayAnswer> relays, Set<String> devices, SendOutcome rumorOutcome) {

  public enum RelayAnswer {
    PENDING,
    DELETED,
    REFUSED
  }

  public DeletionReport {
    Objects.requireNonNull(messageId, "messageId");
    relays = java.util.Collections.unmodifiableMap(new TreeMap<>(relays));
    devices = Set.copyOf(devices);
  }
}
