package xchat.engine.relay;

import java.util.Objects;
import xchat.engine.transport.RelayUrl;
import xchat.protocol.event.NostrEvent;

/**
 * One event as a relay delivered it, for the circle's ingest stream. The event is well-formed
 * and its id matches its content; its signature is not yet verified (the ingest stream does that
 * in parallel).
 */
public record IngestEnvelope(RelayUrl relay, String subscriptionId, NostrEvent event) {
  public IngestEnvelope {
    Objects.requireNonNull(relay, "relay");
    Objects.requireNonNull(subscriptionId, "subscriptionId");
    Objects.requireNonNull(event, "event");
  }
}
