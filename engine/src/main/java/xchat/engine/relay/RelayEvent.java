package xchat.engine.relay;

import java.time.Duration;
import java.util.Objects;
import xchat.engine.transport.RelayUrl;

/** What a relay actor tells its listener (the circle): state, cursors, and terminal events. */
public sealed interface RelayEvent {

  RelayUrl relay();

  /** The connection moved to {@code state} at {@code atMillis} (the injected clock). */
  record StateChanged(RelayUrl relay, ConnectionState state, long atMillis) implements RelayEvent {}

  /**
   * The next attempt waits {@code delay}; {@code attempt} counts failures since the last stable
   * connection, so it resets only after a connection stayed up long enough.
   */
  record BackingOff(RelayUrl relay, int attempt, Duration delay, String reason) implements RelayEvent {}

  /**
   * Everything this subscription matched up to {@code createdAt} has been handed to the ingest
   * sink; resume from here (less the overlap) after a restart.
   */
  record CursorAdvanced(RelayUrl relay, String subscriptionId, long createdAt) implements RelayEvent {}

  /** The relay ended a subscription for good (a terminal CLOSED, or AUTH refused). */
  record SubscriptionClosed(RelayUrl relay, String subscriptionId, String message) implements RelayEvent {}

  /** The relay refused our NIP-42 AUTH; what needed it has failed with AUTH_REFUSED. */
  record AuthRefused(RelayUrl relay, String message) implements RelayEvent {}

  /**
   * A relay that requires NIP-42 sent no challenge, or no answer to our AUTH, in time; the
   * connection is dropped and retried with backoff, since a relay sends its challenge on connect.
   */
  record AuthTimedOut(RelayUrl relay, String reason) implements RelayEvent {}

  /** The relay claimed a NIP in its NIP-11 document that then failed; it is not used again. */
  record CapabilityFailed(RelayUrl relay, int nip, String reason) implements RelayEvent {}

  record RepairFinished(RelayUrl relay, RepairReport report) implements RelayEvent {}

  /** The outcome of republishing an event a repair found missing. */
  record Republished(RelayUrl relay, PublishOutcome outcome) implements RelayEvent {
    public Republished {
      Objects.requireNonNull(outcome, "outcome");
    }
  }
}
