package xchat.relay.policy;

import java.time.Duration;
import xchat.protocol.event.NostrEvent;

/**
 * How the relay behaves towards its clients, consulted by the server at fixed points. {@link
 * #HONEST} is a correct relay; {@link Misbehaviour} lets a test make it lie, refuse, stall or hang
 * up, so that clients can be tested against relays that misbehave in the ways real ones do.
 */
public interface RelayBehaviour {

  /** A correct relay: every default below. */
  RelayBehaviour HONEST = new RelayBehaviour() {};

  /**
   * Consulted for each EVENT that passed validation (id, signature, auth, limits), before the
   * store sees it.
   */
  default EventDecision onEvent(NostrEvent event) {
    return EventDecision.STORE;
  }

  /** Every frame the relay sends on a connection is held back this long; read per connection. */
  default Duration responseDelay() {
    return Duration.ZERO;
  }

  /**
   * When positive, the relay drops the connection when this many client frames have arrived,
   * without answering the last; read per connection. 0 never drops.
   */
  default int dropConnectionAfterFrames() {
    return 0;
  }
}
