package xchat.relay.server;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import xchat.relay.policy.RelayBehaviour;
import xchat.relay.store.Durability;

/**
 * How to run one relay. Start from {@link #defaults()} and change what differs; every {@code
 * with...} returns a new value.
 *
 * @param host interface to bind, e.g. 127.0.0.1
 * @param port TCP port; 0 picks a free one (see {@link RelayServer#port()})
 * @param dataDir the RocksDB directory; null for a temporary one deleted on stop
 * @param authRequired NIP-42: EVENT, REQ and NEG-OPEN need AUTH first
 * @param limits what the relay enforces and publishes in NIP-11
 * @param relayUrl this relay's URL as clients name it in NIP-42 AUTH and NIP-62 vanish events;
 *     null for {@code ws://host:port} once bound
 * @param clock time for created_at limits, NIP-40 expiry, NIP-42 and rate limits
 * @param behaviour {@link RelayBehaviour#HONEST}, or a test's misbehaviour
 * @param durability when OK true may be sent; see {@link Durability}
 * @param expirySweepInterval how often expired events are deleted (they are never served once
 *     expired, swept or not)
 * @param name NIP-11 name
 * @param description NIP-11 description
 */
public record RelayConfig(
    String host,
    int port,
    Path dataDir,
    boolean authRequired,
    RelayLimits limits,
    String relayUrl,
    Clock clock,
    RelayBehaviour behaviour,
    Durability durability,
    Duration expirySweepInterval,
    String name,
    String description) {

  public static final int DEFAULT_PORT = 7447;

  public RelayConfig {
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be in 0..65535");
    }
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(behaviour, "behaviour");
    Objects.requireNonNull(durability, "durability");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    if (expirySweepInterval == null || expirySweepInterval.isNegative()
        || expirySweepInterval.isZero()) {
      throw new IllegalArgumentException("the sweep interval must be positive");
    }
  }

  /** 127.0.0.1:7447, a temporary data directory, no AUTH required, honest, fsynced writes. */
  public static RelayConfig defaults() {
    return new RelayConfig(
        "127.0.0.1",
        DEFAULT_PORT,
        null,
        false,
        RelayLimits.DEFAULT,
        null,
        Clock.systemUTC(),
        RelayBehaviour.HONEST,
        Durability.SYNC,
        Duration.ofMinutes(1),
        "xchat relay",
        "An embeddable Nostr relay for xchat");
  }

  /** Like {@link #defaults()} on a free port: for tests. */
  public static RelayConfig ephemeral() {
    return defaults().withPort(0);
  }

  public Optional<Path> dataDirectory() {
    return Optional.ofNullable(dataDir);
  }

  public RelayConfig withHost(String value) {
    return new RelayConfig(value, port, dataDir, authRequired, limits, relayUrl, clock, behaviour,
        durability, expirySweepInterval, name, description);
  }

  public RelayConfig withPort(int value) {
    return new RelayConfig(host, value, dataDir, authRequired, limits, relayUrl, clock, behaviour,
        durability, expirySweepInterval, name, description);
  }

  public RelayConfig withDataDir(Path value) {
    return new RelayConfig(host, port, value, authRequired, limits, relayUrl, clock, behaviour,
        durability, expirySweepInterval, name, description);
  }

  public RelayConfig withAuthRequired(boolean value) {
    return new RelayConfig(host, port, dataDir, value, limits, relayUrl, clock, behaviour,
        durability, expirySweepInterval, name, description);
  }

  public RelayConfig withLimits(RelayLimits value) {
    return new RelayConfig(host, port, dataDir, authRequired, value, relayUrl, clock, behaviour,
        durability, expirySweepInterval, name, description);
  }

  public RelayConfig withRelayUrl(String value) {
    return new RelayConfig(host, port, dataDir, authRequired, limits, value, clock, behaviour,
        durability, expirySweepInterval, name, description);
  }

  public RelayConfig withClock(Clock value) {
    return new RelayConfig(host, port, dataDir, authRequired, limits, relayUrl, value, behaviour,
        durability, expirySweepInterval, name, description);
  }

  public RelayConfig withBehaviour(RelayBehaviour value) {
    return new RelayConfig(host, port, dataDir, authRequired, limits, relayUrl, clock, value,
        durability, expirySweepInterval, name, description);
  }

  public RelayConfig withDurability(Durability value) {
    return new RelayConfig(host, port, dataDir, authRequired, limits, relayUrl, clock, behaviour,
        value, expirySweepInterval, name, description);
  }

  public RelayConfig withExpirySweepInterval(Duration value) {
    return new RelayConfig(host, port, dataDir, authRequired, limits, relayUrl, clock, behaviour,
        durability, value, name, description);
  }
}
