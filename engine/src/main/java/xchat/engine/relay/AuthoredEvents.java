package xchat.engine.relay;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import xchat.engine.transport.RelayUrl;
import xchat.protocol.event.EventId;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.filter.Filter;
import xchat.protocol.nip77.Item;

/**
 * The port through which a relay actor learns what we published, so that a relay that comes
 * back can be repaired. Part 2 backs it with the durable outbox and log.
 */
public interface AuthoredEvents {

  /**
   * The events we authored that {@code relay} should hold, and a filter that selects them (and
   * possibly others) on the relay. Items are (created_at, id) pairs.
   */
  CompletionStage<AuthoredSet> authoredFor(RelayUrl relay);

  /** One authored event in full, to republish it; empty if it is no longer held. */
  CompletionStage<Optional<NostrEvent>> load(EventId id);

  record AuthoredSet(Filter filter, List<Item> items) {
    public AuthoredSet {
      Objects.requireNonNull(filter, "filter");
      items = List.copyOf(items);
    }
  }
}
