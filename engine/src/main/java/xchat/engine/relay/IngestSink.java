package xchat.engine.relay;

import java.util.concurrent.CompletionStage;

/**
 * Where a relay actor hands the events it receives. The returned stage is the acknowledgement:
 * it completes when the downstream has taken the envelope and has room for more. The actor keeps
 * at most {@link RelaySettings#ingestWindow()} envelopes unacknowledged, and reads no further
 * from the socket until an acknowledgement arrives. Offers from one actor arrive in order.
 *
 * <p>A failed stage means the downstream is gone; the actor stops delivering to it.
 */
@FunctionalInterface
public interface IngestSink {
  CompletionStage<Void> offer(IngestEnvelope envelope);
}
