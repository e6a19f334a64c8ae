package xchat.protocol.nip09;

import java.util.Optional;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.Tags;
import xchat.protocol.hex.Hex;
import xchat.protocol.keys.PublicKey;

/**
 * The NIP-01 {@code a} tag value {@code <kind>:<pubkey hex>:<d identifier>} that names every
 * version of a replaceable or addressable event. The identifier may itself contain colons.
 */
public record EventAddress(int kind, PublicKey pubkey, String identifier) {

  public EventAddress {
    if (kind < 0 || kind > 65535) {
      throw new IllegalArgumentException("kind must be in 0..65535, got " + kind);
    }
    if (pubkey == null || identifier == null) {
      throw new IllegalArgumentException("address needs a pubkey and an identifier");
    }
  }

  /** Empty when the value is not {@code <decimal kind>:<64 lower-case hex>:<anything>}. */
  public static Optional<EventAddress> parse(String value) {
    int first = value.indexOf(':');
    if (first < 1 || first > 5) {
      return Optional.empty();
    }
    int second = value.indexOf(':', first + 1);
    if (second != first + 1 + 2 * PublicKey.LENGTH) {
      return Optional.empty();
    }
    for (int i = 0; i < first; i++) {
      if (value.charAt(i) < '0' || value.charAt(i) > '9') {
        return Optional.empty();
      }
    }
    int kind = Integer.parseInt(value.substring(0, first));
    String hex = value.substring(first + 1, second);
    if (kind > 65535 || !Hex.isLowerHex(hex, PublicKey.LENGTH)) {
      return Optional.empty();
    }
    return Optional.of(new EventAddress(kind, PublicKey.fromHex(hex), value.substring(second + 1)));
  }

  public String toTagValue() {
    return kind + ":" + pubkey.hex() + ":" + identifier;
  }

  /**
   * True when {@code event} is a version of this address: same kind and pubkey, and for
   * addressable kinds the same {@code d} tag (absent counts as ""). Replaceable kinds have one
   * slot per kind and pubkey, so their identifier is not compared. Other kinds have no address.
   */
  public boolean names(NostrEvent event) {
    if (event.kind() != kind || !event.pubkey().equals(pubkey)) {
      return false;
    }
    if (event.isReplaceable()) {
      return true;
    }
    return event.isAddressable() && identifierOf(event.tags()).equals(identifier);
  }

  private static String identifierOf(Tags tags) {
    return tags.first("d").orElse("");
  }
}
