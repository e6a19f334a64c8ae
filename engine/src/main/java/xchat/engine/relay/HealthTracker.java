package xchat.engine.relay;

import java.util.OptionalDouble;

/** The counters behind {@link RelayHealth}; confined to the relay actor's thread. */
final class HealthTracker {
  private static final double ALPHA = 0.2;

  private final long startedAtMillis;
  private double latencyEwma = Double.NaN;
  long accepted;
  long refused;
  long transientFailures;
  long connectAttempts;
  long connections;
  long disconnects;
  long framesReceived;
  long garbageFrames;
  long eventsDelivered;
  int ingestInFlight;
  int maxIngestInFlight;
  long authTimeouts;
  private long upMillis;
  private long connectedSinceMillis = -1;

  HealthTracker(long nowMillis) {
    this.startedAtMillis = nowMillis;
  }

  void okLatency(long millis) {
    latencyEwma = Double.isNaN(latencyEwma) ? millis : ALPHA * millis + (1 - ALPHA) * latencyEwma;
  }

  void connected(long nowMillis) {
    connections++;
    connectedSinceMillis = nowMillis;
  }

  void disconnected(long nowMillis) {
    if (connectedSinceMillis >= 0) {
      upMillis += Math.max(0, nowMillis - connectedSinceMillis);
      connectedSinceMillis = -1;
      disconnects++;
    }
  }

  void offered() {
    eventsDelivered++;
    ingestInFlight++;
    maxIngestInFlight = Math.max(maxIngestInFlight, ingestInFlight);
  }

  RelayHealth snapshot(RelayActorView view, long nowMillis) {
    long up = upMillis + (connectedSinceMillis >= 0 ? Math.max(0, nowMillis - connectedSinceMillis) : 0);
    long lifetime = Math.max(1, nowMillis - startedAtMillis);
    double uptime = Math.min(1.0, (double) up / lifetime);
    double success = (accepted + 1.0) / (accepted + refused + transientFailures + 2.0);
    double latencyScore = Double.isNaN(latencyEwma) ? 0.5 : 1.0 / (1.0 + latencyEwma / 1000.0);
    double score = 0.4 * success + 0.4 * uptime + 0.2 * latencyScore;
    return new RelayHealth(view.url(), view.state(), score,
        Double.isNaN(latencyEwma) ? OptionalDouble.empty() : OptionalDouble.of(latencyEwma),
        success, uptime, accepted, refused, transientFailures, connectAttempts, connections,
        disconnects, view.backoffAttempt(), framesReceived, garbageFrames, eventsDelivered,
        ingestInFlight, maxIngestInFlight, view.pendingPublishes(), view.activeSubscriptions(),
        view.queuedSubscriptions(), view.authenticated(), view.nip77Failed(), authTimeouts);
  }

  /** The actor-side facts a snapshot needs. */
  record RelayActorView(
      xchat.engine.transport.RelayUrl url,
      ConnectionState state,
      int backoffAttempt,
      int pendingPublishes,
      int activeSubscriptions,
      int queuedSubscriptions,
      boolean authenticated,
      boolean nip77Failed) {}
}
