package xchat.engine.relay;

import java.util.Objects;
import java.util.OptionalDouble;
import xchat.engine.transport.RelayUrl;

/**
 * A snapshot of one relay's health, for metrics and the CLI.
 *
 * <p>{@code score} is in [0, 1]: 0.4 x success rate + 0.4 x uptime ratio + 0.2 x latency score,
 * where the latency score is {@code 1 / (1 + ewma / 1000 ms)} (0.5 before any OK). Success rate
 * is smoothed, (accepted + 1) / (answered + 2), so that one early failure does not zero it.
 *
 * @param okLatencyMillis EWMA (alpha 0.2) of EVENT-to-OK round trips
 * @param uptimeRatio time connected over time since the actor started
 * @param ingestInFlight envelopes offered to the ingest sink and not yet acknowledged
 * @param maxIngestInFlight the most ever seen; never above the configured window
 * @param authTimeouts connections dropped because a required AUTH did not settle in time
 */
public record RelayHealth(
    RelayUrl relay,
    ConnectionState state,
    double score,
    OptionalDouble okLatencyMillis,
    double successRate,
    double uptimeRatio,
    long accepted,
    long refused,
    long transientFailures,
    long connectAttempts,
    long connections,
    long disconnects,
    int backoffAttempt,
    long framesReceived,
    long garbageFrames,
    long eventsDelivered,
    int ingestInFlight,
    int maxIngestInFlight,
    int pendingPublishes,
    int activeSubscriptions,
    int queuedSubscriptions,
    boolean authenticated,
    boolean nip77Failed,
    long authTimeouts) {

  public RelayHealth {
    Objects.requireNonNull(relay, "relay");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(okLatencyMillis, "okLatencyMillis");
  }
}
