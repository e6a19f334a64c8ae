package xchat.engine.relay;

import java.time.Duration;
import java.util.Objects;
import xchat.protocol.message.MessageLimits;

/**
 * Timings and bounds of one relay actor. The defaults suit a phone on a flaky network; tests and
 * the simulator shorten the timings.
 *
 * @param connectTimeout a connection attempt that takes longer counts as failed
 * @param backoffBase first reconnect delay bound; it doubles per failed attempt
 * @param backoffCap reconnect delays never exceed this
 * @param stableAfter a connection must stay up this long before the backoff resets (anti-flap)
 * @param keepaliveInterval after this long without a frame, the actor pings the relay
 * @param keepaliveTimeout a ping unanswered for this long means the socket is dead
 * @param authTimeout how long to wait for a challenge and its OK from a relay that requires AUTH
 * @param okTimeout an EVENT without OK after this long is retried (a transient failure)
 * @param maxPublishAttempts transient failures per event before the outcome is GAVE_UP
 * @param maxPendingPublishes events held per relay; beyond it publishing answers OVERLOADED
 * @param ingestWindow frames read but not yet acknowledged by the ingest sink, at most
 * @param pageSize {@code limit} of one REQ page during a sync without NIP-77
 * @param maxSyncPages pages after which a REQ sync stops and reports BEST_EFFORT
 * @param defaultMaxSubscriptions subscriptions per connection when NIP-11 gives no limit
 * @param idsPerQuery ids per REQ when fetching or checking by id
 * @param queryTimeout a sync or repair step (a NIP-77 round, a page) unanswered this long fails
 * @param limits bounds on incoming frames
 */
public record RelaySettings(
    Duration connectTimeout,
    Duration backoffBase,
    Duration backoffCap,
    Duration stableAfter,
    Duration keepaliveInterval,
    Duration keepaliveTimeout,
    Duration authTimeout,
    Duration okTimeout,
    int maxPublishAttempts,
    int maxPendingPublishes,
    int ingestWindow,
    int pageSize,
    int maxSyncPages,
    int defaultMaxSubscriptions,
    int idsPerQuery,
    Duration queryTimeout,
    MessageLimits limits) {

  public static final RelaySettings DEFAULT = new RelaySettings(
      Duration.ofSeconds(10),
      Duration.ofMillis(500),
      Duration.ofMinutes(5),
      Duration.ofSeconds(30),
      Duration.ofSeconds(30),
      Duration.ofSeconds(15),
      Duration.ofSeconds(10),
      Duration.ofSeconds(15),
      8,
      1024,
      64,
      500,
      10_000,
      20,
      200,
      Duration.ofSeconds(20),
      MessageLimits.DEFAULT);

  public RelaySettings {
    for (Duration d : new Duration[] {connectTimeout, backoffBase, backoffCap, stableAfter,
        keepaliveInterval, keepaliveTimeout, authTimeout, okTimeout, queryTimeout}) {
      Objects.requireNonNull(d, "durations must not be null");
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("durations must be positive");
      }
    }
    if (backoffCap.compareTo(backoffBase) < 0) {
      throw new IllegalArgumentException("backoff cap must not be below its base");
    }
    if (maxPublishAttempts <= 0 || maxPendingPublishes <= 0 || ingestWindow <= 0 || pageSize <= 0
        || maxSyncPages <= 0 || defaultMaxSubscriptions < 2 || idsPerQuery <= 0) {
      throw new IllegalArgumentException("counts must be positive, and at least 2 subscriptions");
    }
    Objects.requireNonNull(limits, "limits");
  }

  public RelaySettings withBackoff(Duration base, Duration cap, Duration stable) {
    return new RelaySettings(connectTimeout, base, cap, stable, keepaliveInterval, keepaliveTimeout,
        authTimeout, okTimeout, maxPublishAttempts, maxPendingPublishes, ingestWindow, pageSize,
        maxSyncPages, defaultMaxSubscriptions, idsPerQuery, queryTimeout, limits);
  }

  public RelaySettings withKeepalive(Duration interval, Duration timeout) {
    return new RelaySettings(connectTimeout, backoffBase, backoffCap, stableAfter, interval, timeout,
        authTimeout, okTimeout, maxPublishAttempts, maxPendingPublishes, ingestWindow, pageSize,
        maxSyncPages, defaultMaxSubscriptions, idsPerQuery, queryTimeout, limits);
  }

  public RelaySettings withTimeouts(Duration connect, Duration auth, Duration ok, Duration negentropy) {
    return new RelaySettings(connect, backoffBase, backoffCap, stableAfter, keepaliveInterval,
        keepaliveTimeout, auth, ok, maxPublishAttempts, maxPendingPublishes, ingestWindow, pageSize,
        maxSyncPages, defaultMaxSubscriptions, idsPerQuery, negentropy, limits);
  }

  public RelaySettings withPaging(int newPageSize, int newMaxSyncPages) {
    return new RelaySettings(connectTimeout, backoffBase, backoffCap, stableAfter, keepaliveInterval,
        keepaliveTimeout, authTimeout, okTimeout, maxPublishAttempts, maxPendingPublishes,
        ingestWindow, newPageSize, newMaxSyncPages, defaultMaxSubscriptions, idsPerQuery,
        queryTimeout, limits);
  }

  public RelaySettings withIngestWindow(int window) {
    return new RelaySettings(connectTimeout, backoffBase, backoffCap, stableAfter, keepaliveInterval,
        keepaliveTimeout, authTimeout, okTimeout, maxPublishAttempts, maxPendingPublishes, window,
        pageSize, maxSyncPages, defaultMaxSubscriptions, idsPerQuery, queryTimeout, limits);
  }

  public RelaySettings withPublishAttempts(int attempts) {
    return new RelaySettings(connectTimeout, backoffBase, backoffCap, stableAfter, keepaliveInterval,
        keepaliveTimeout, authTimeout, okTimeout, attempts, maxPendingPublishes, ingestWindow,
        pageSize, maxSyncPages, defaultMaxSubscriptions, idsPerQuery, queryTimeout, limits);
  }
}
