package xchat.engine.api;

import java.util.List;
import java.util.Objects;

/** One circle's reconciliation: per relay, whether its history is known complete. */
public record SyncResult(String circle, List<RelaySync> relays) {
  public SyncResult {
    Objects.requireNonNull(circle, "circle");
    relays = List.copyOf(relays);
  }

  /** True when every relay answered and reported its history complete. */
  public boolean complete() {
    return !relays.isEmpty() && relays.stream().allMatch(RelaySync::complete);
  }

  /**
   * @param method NIP77 or REQ_PAGING, or NONE when the relay could not be reached in time
   * @param received events the relay delivered to this sync
   */
  public record RelaySync(String relay, boolean complete, String method, int received, String detail) {
    public RelaySync {
      Objects.requireNonNull(relay, "relay");
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(detail, "detail");
    }
  }
}
