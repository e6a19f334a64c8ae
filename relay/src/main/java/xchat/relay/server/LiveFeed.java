package xchat.relay.server;

import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;
import xchat.protocol.event.EventJson;
import xchat.protocol.event.NostrEvent;

/**
 * Fan-out of newly accepted events to the connections that have live subscriptions. An event is
 * serialised once, by the store or here, not once per subscriber; each connection matches it
 * against its own filters in its own actor.
 */
final class LiveFeed {

  /**
   * A new event with its JSON, and the store's sequence number of its write ({@link #NOT_STORED}
   * for an ephemeral event).
   */
  record LiveEvent(NostrEvent event, String json, long commitSequence) {}

  static final long NOT_STORED = Long.MAX_VALUE;

  // In registration order, so that the simulator replays a seed exactly (a hash set's order of
  // lambdas follows identity hashes, which differ per run).
  private final Set<Consumer<LiveEvent>> listeners = new CopyOnWriteArraySet<>();

  void register(Consumer<LiveEvent> listener) {
    listeners.add(listener);
  }

  void unregister(Consumer<LiveEvent> listener) {
    listeners.remove(listener);
  }

  /** An ephemeral event, serialised here only if someone listens. */
  void publish(NostrEvent event, long commitSequence) {
    if (!listeners.isEmpty()) {
      publish(event, EventJson.toJson(event), commitSequence);
    }
  }

  /** A stored event with the JSON the store wrote. */
  void publish(NostrEvent event, String json, long commitSequence) {
    LiveEvent live = new LiveEvent(event, json, commitSequence);
    for (Consumer<LiveEvent> listener : listeners) {
      listener.accept(live);
    }
  }
}
