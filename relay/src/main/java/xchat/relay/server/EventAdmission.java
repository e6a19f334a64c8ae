package xchat.relay.server;

import java.util.Optional;
import java.util.function.LongSupplier;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.message.OkPrefix;
import xchat.protocol.nip40.Expiration;
import xchat.protocol.nip42.AuthEvent;
import xchat.protocol.nip42.RelayUrls;
import xchat.relay.store.EventStore;

/**
 * The checks an EVENT passes before the store sees it: those that need only the event, the
 * clock and this relay's settings. Cheap checks first; the signature last.
 */
final class EventAdmission {
  /** NIP-62: a request to vanish from every relay. */
  static final String ALL_RELAYS = "ALL_RELAYS";

  private final Secp256k1 curve;
  private final RelayLimits limits;
  private final LongSupplier nowSeconds;
  private final String relayUrl;

  EventAdmission(Secp256k1 curve, RelayLimits limits, LongSupplier nowSeconds, String relayUrl) {
    this.curve = curve;
    this.limits = limits;
    this.nowSeconds = nowSeconds;
    this.relayUrl = relayUrl;
  }

  /** Empty when admitted; otherwise the OK false message. */
  Optional<String> check(NostrEvent event) {
    long now = nowSeconds.getAsLong();
    if (event.kind() == AuthEvent.KIND) {
      return refuse("AUTH events are sent with AUTH, not EVENT");
    }
    if (now - event.createdAt() > limits.createdAtLowerLimit()) {
      return refuse("created_at is too far in the past");
    }
    if (event.createdAt() - now > limits.createdAtUpperLimit()) {
      return refuse("created_at is too far in the future");
    }
    if (Expiration.hasMalformedTag(event.tags())) {
      return refuse("malformed expiration tag");
    }
    if (Expiration.isExpired(event, now)) {
      return refuse("event has expired");
    }
    if (event.kind() == EventStore.VANISH_KIND && !namesThisRelay(event)) {
      return refuse("a request to vanish must name this relay or ALL_RELAYS in a relay tag");
    }
    if (!event.hasValidSignature(curve)) {
      return refuse("bad signature");
    }
    return Optional.empty();
  }

  private boolean namesThisRelay(NostrEvent event) {
    for (String relay : event.tags().values("relay")) {
      if (ALL_RELAYS.equals(relay) || RelayUrls.sameRelay(relay, relayUrl)) {
        return true;
      }
    }
    return false;
  }

  private static Optional<String> refuse(String text) {
    return Optional.of(OkPrefix.format(OkPrefix.INVALID, text));
  }
}
