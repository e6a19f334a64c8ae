package xchat.engine.runtime;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.random.RandomGenerator;
import xchat.engine.relay.RelaySettings;
import xchat.engine.transport.RelayTransport;
import xchat.persistence.EncryptedStore;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.nip59.GiftWrap;

/**
 * What every actor of one engine shares: the account's keys, the store, the injected executor,
 * clock, randomness and curve, the transport and the event bus.
 *
 * @param transport empty-handed engines (offline) have none
 * @param resyncInterval how often each circle reconciles with its open relays; zero never
 * @param bugs bugs switched on for the simulator's mutation tests; empty in production
 */
public record EngineContext(
    KeyPair keys,
    String deviceId,
    String deviceLabel,
    EncryptedStore store,
    Executor executor,
    Clock clock,
    RandomGenerator random,
    Secp256k1 curve,
    java.util.Optional<RelayTransport> transport,
    RelaySettings relaySettings,
    int requiredAcks,
    IngestSettings ingest,
    java.time.Duration resyncInterval,
    EventBus events,
    java.util.Set<xchat.engine.api.InjectedBug> bugs) {

  /** Batching and parallelism of the ingest streams. */
  public record IngestSettings(int batch, java.time.Duration window, int parallelism) {}

  public EngineContext {
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(executor, "executor");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(random, "random");
    Objects.requireNonNull(curve, "curve");
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(resyncInterval, "resyncInterval");
    bugs = java.util.Set.copyOf(bugs);
  }

  /** Whether a bug was switched on for mutation testing (never in production). */
  public boolean has(xchat.engine.api.InjectedBug bug) {
    return bugs.contains(bug);
  }

  public long nowSeconds() {
    return clock.millis() / 1000;
  }

  public GiftWrap giftWrap() {
    return new GiftWrap(curve, random, this::nowSeconds);
  }

  public boolean online() {
    return transport.isPresent();
  }
}
