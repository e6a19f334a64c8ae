package xchat.engine.relay;

import java.util.Objects;
import xchat.engine.transport.RelayUrl;
import xchat.protocol.event.NostrEvent;

/**
 * One event as a relay delivered it, for the circle's ingest stream. The event is well-formed
 * and its id matches its content; its signature is not yet verified (the ingest stream does that
 * in parallel). A {@code live} event came on a subscription after its EOSE: it is new, and
 * somebody may be watching for it, so it is not held back to share a commit with others.
 */
public record IngestEnvelope(RelayUrl relay, String subscriptionId, NostrEvent event, boolean live) {
  public IngestEnvelope {
    Objects.requireNonNull(relay, "relay");
    Objects.requireNonNull(subscriptionId, "subscriptionId");
    Objects.requireNonNull(event, "event");
  }
}
