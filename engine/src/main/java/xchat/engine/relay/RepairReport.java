package xchat.engine.relay;

import java.util.List;
import java.util.Objects;
import xchat.engine.transport.RelayUrl;
import xchat.protocol.event.EventId;

/**
 * What a repair found on one relay: of the events we authored for it, which it lacked. Each
 * missing event is then republished; those outcomes arrive as {@link RelayEvent.Republished}.
 *
 * @param checked authored events compared
 * @param missing authored events the relay did not have
 * @param complete false when the check could not finish (the relay failed it)
 */
public record RepairReport(
    RelayUrl relay, Method method, int checked, List<EventId> missing, boolean complete, String detail) {

  public enum Method {
    /** NIP-77 reconciliation: the ids we "have" that the relay does not. */
    NIP77,
    /** REQ by {@code ids}: what did not come back is missing. */
    ID_CHECK
  }

  public RepairReport {
    Objects.requireNonNull(relay, "relay");
    Objects.requireNonNull(method, "method");
    missing = List.copyOf(missing);
    Objects.requireNonNull(detail, "detail");
  }
}
