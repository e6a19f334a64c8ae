package xchat.engine.circle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import xchat.engine.relay.AuthoredEvents;
import xchat.engine.transport.RelayUrl;
import xchat.persistence.CircleId;
import xchat.persistence.EncryptedStore;
import xchat.persistence.outbox.AckState;
import xchat.persistence.outbox.OutboxCopy;
import xchat.persistence.outbox.OutboxEntry;
import xchat.persistence.outbox.RelayAck;
import xchat.protocol.event.EventId;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.filter.Filter;
import xchat.engine.device.DeviceStateEvents;
import xchat.protocol.nip09.DeletionRequest;
import xchat.protocol.nip59.GiftWrap;
import xchat.protocol.nip77.Item;

/**
 * What one circle published, for the repair of a relay that said OK and did not store it: every
 * outbox copy (gift wraps of messages and deletions, to members and to self) that the relay
 * accepted, kept in the store for {@link #RETENTION} after it was sent, unless its message was
 * deleted since; and, in memory, the NIP-09 requests and device-state documents it accepted.
 */
final class CircleAuthored implements AuthoredEvents {
  /** Sent entries stay in the outbox this long after they were written, as repair material. */
  static final Duration RETENTION = Duration.ofDays(3);
  private static final int MAX_EXTRAS = 256;

  private final EncryptedStore store;
  private final CircleId circle;
  private final Executor executor;
  /** Events published outside the outbox, with the relays that accepted them; insertion order. */
  private final Map<EventId, Extra> extras = new LinkedHashMap<>();

  private record Extra(NostrEvent event, Set<String> acceptedBy) {}

  CircleAuthored(EncryptedStore store, CircleId circle, Executor executor) {
    this.store = store;
    this.circle = circle;
    this.executor = executor;
  }

  /** A request or document published outside the outbox; a newer document replaces an older one. */
  synchronized void published(NostrEvent event) {
    Optional<String> d = event.tags().first("d");
    if (d.isPresent()) {
      extras.values().removeIf(e -> e.event().kind() == event.kind() && e.event().tags().first("d").equals(d));
    }
    extras.put(event.id(), new Extra(event, new HashSet<>()));
    while (extras.size() > MAX_EXTRAS) {
      extras.remove(extras.keySet().iterator().next());
    }
  }

  synchronized void accepted(EventId id, RelayUrl relay) {
    Extra extra = extras.get(id);
    if (extra != null) {
      extra.acceptedBy().add(relay.value());
    }
  }

  /** Whether a finished entry is past keeping. */
  static boolean expired(OutboxEntry entry, long nowMillis) {
    return entry.createdAt() < nowMillis - RETENTION.toMillis();
  }

  @Override
  public CompletionStage<AuthoredSet> authoredFor(RelayUrl relay) {
    return CompletableFuture.supplyAsync(() -> list(relay), executor);
  }

  @Override
  public CompletionStage<Optional<NostrEvent>> load(EventId id) {
    // Only what a relay lost is loaded, so a scan is cheaper than keeping every event at hand.
    return CompletableFuture.supplyAsync(() -> find(id), executor);
  }

  private Optional<NostrEvent> find(EventId id) {
    synchronized (this) {
      Extra extra = extras.get(id);
      if (extra != null) {
        return Optional.of(extra.event());
      }
    }
    for (OutboxEntry entry : store.pendingOutbox(circle)) {
      for (OutboxCopy copy : entry.copies()) {
        if (copy.wrap().id().equals(id)) {
          return store.isTombstoned(circle, entry.rumorId()) ? Optional.empty() : Optional.of(copy.wrap());
        }
      }
    }
    return Optional.empty();
  }

  private AuthoredSet list(RelayUrl relay) {
    List<NostrEvent> events = new ArrayList<>();
    for (OutboxEntry entry : store.pendingOutbox(circle)) {
      if (store.isTombstoned(circle, entry.rumorId())) {
        continue; // deleted for everyone: relays were asked to drop it, never give it back
      }
      for (OutboxCopy copy : entry.copies()) {
        if (acceptedBy(copy, relay)) {
          events.add(copy.wrap());
        }
      }
    }
    synchronized (this) {
      for (Extra extra : extras.values()) {
        if (extra.acceptedBy().contains(relay.value())) {
          events.add(extra.event());
        }
      }
    }
    List<Item> items = new ArrayList<>(events.size());
    long since = Long.MAX_VALUE;
    for (NostrEvent event : events) {
      items.add(new Item(event.createdAt(), event.id().bytes()));
      since = Math.min(since, event.createdAt());
    }
    Filter.Builder filter = Filter.builder()
        .kinds(GiftWrap.WRAP_KIND, DeletionRequest.KIND, DeviceStateEvents.KIND);
    if (!events.isEmpty()) {
      filter.since(since);
    }
    return new AuthoredSet(filter.build(), items);
  }

  private static boolean acceptedBy(OutboxCopy copy, RelayUrl relay) {
    for (RelayAck ack : copy.acks()) {
      if (ack.relayUrl().equals(relay.value())) {
        return ack.state() == AckState.ACCEPTED;
      }
    }
    return false;
  }
}
