package xchat.engine.relay;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.apache.pekko.actor.typed.ActorRef;
import xchat.engine.transport.RelayTransport;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.keys.KeyPair;

/**
 * What a relay actor is given from outside. Clock and randomness are injected so the simulator
 * can replay a run from a seed.
 *
 * @param keys the identity to answer NIP-42 challenges with; without it, AUTH is refused locally
 * @param listener receives {@link RelayEvent}s: state, cursors, terminal closes, repairs
 * @param authored what we published, to repair a relay that comes back; without it, no repair
 */
public record RelayDeps(
    RelayTransport transport,
    IngestSink ingest,
    Clock clock,
    RandomGenerator random,
    Secp256k1 curve,
    Optional<KeyPair> keys,
    Optional<ActorRef<RelayEvent>> listener,
    Optional<AuthoredEvents> authored) {

  public RelayDeps {
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(ingest, "ingest");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(random, "random");
    Objects.requireNonNull(curve, "curve");
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(authored, "authored");
  }

  public RelayDeps withListener(ActorRef<RelayEvent> newListener) {
    return new RelayDeps(transport, ingest, clock, random, curve, keys, Optional.of(newListener), authored);
  }

  public RelayDeps withKeys(KeyPair newKeys) {
    return new RelayDeps(transport, ingest, clock, random, curve, Optional.of(newKeys), listener, authored);
  }

  public RelayDeps withAuthored(AuthoredEvents newAuthored) {
    return new RelayDeps(transport, ingest, clock, random, curve, keys, listener, Optional.of(newAuthored));
  }

  public RelayDeps withIngest(IngestSink newIngest) {
    return new RelayDeps(transport, newIngest, clock, random, curve, keys, listener, authored);
  }
}
