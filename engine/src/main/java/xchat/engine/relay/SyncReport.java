package xchat.engine.relay;

import java.util.List;
import java.util.Objects;
import xchat.engine.transport.RelayUrl;
import xchat.protocol.event.EventId;

/**
 * How one sync with one relay ended.
 *
 * @param eventsReceived events delivered to the ingest sink by this sync
 * @param relayLacks ids we hold that the relay lacks (NIP-77 only; empty after REQ paging)
 * @param fellBack true when the relay claimed NIP-77 but it failed, so REQ paging ran instead
 * @param detail why the sync is only best-effort, or empty
 */
public record SyncReport(
    RelayUrl relay,
    String syncId,
    Completeness completeness,
    Method method,
    int eventsReceived,
    List<EventId> relayLacks,
    boolean fellBack,
    String detail) {

  public enum Completeness {
    /** Every event of the filter the relay holds has been delivered (as far as the relay is honest). */
    COMPLETE,
    /** Some events may be missing: see the detail. */
    BEST_EFFORT
  }

  public enum Method {
    NIP77,
    REQ_PAGING
  }

  public SyncReport {
    Objects.requireNonNull(relay, "relay");
    Objects.requireNonNull(syncId, "syncId");
    Objects.requireNonNull(completeness, "completeness");
    Objects.requireNonNull(method, "method");
    relayLacks = List.copyOf(relayLacks);
    Objects.requireNonNull(detail, "detail");
  }
}
