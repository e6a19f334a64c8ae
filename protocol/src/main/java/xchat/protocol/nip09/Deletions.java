package xchat.protocol.nip09;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import xchat.protocol.event.EventId;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.Rumor;
import xchat.protocol.event.Tag;
import xchat.protocol.event.Tags;
import xchat.protocol.event.UnsignedEvent;
import xchat.protocol.hex.Hex;
import xchat.protocol.keys.PublicKey;

/**
 * Builds and reads NIP-09 kind-5 deletion requests.
 *
 * <p>Reading ignores a malformed tag value (an {@code e} that is not 64 lower-case hex, an
 * {@code a} that is not {@code kind:pubkey:d}, a {@code k} that is not a kind): such a value can
 * never name an event, so dropping it deletes nothing extra, while the well-formed references in
 * the same request still take effect. A request with no well-formed {@code e} or {@code a} left
 * is refused, since NIP-09 defines it as naming "one or more" events.
 */
public final class Deletions {
  private Deletions() {}

  /**
   * An unsigned kind-5 request: {@code e} tags, then {@code a} tags, then one {@code k} tag per
   * distinct kind in {@code kinds} and in the addresses (NIP-09: SHOULD include a k tag for the
   * kind of each event). {@code reason} is the content, "" for none.
   */
  public static UnsignedEvent request(
      PublicKey author,
      long createdAt,
      Collection<EventId> eventIds,
      Collection<EventAddress> addresses,
      Collection<Integer> kinds,
      String reason) {
    if (eventIds.isEmpty() && addresses.isEmpty()) {
      throw new IllegalArgumentException("a deletion request names at least one event or address");
    }
    List<Tag> tags = new ArrayList<>();
    for (EventId id : new LinkedHashSet<>(eventIds)) {
      tags.add(Tag.of("e", id.hex()));
    }
    Set<Integer> allKinds = new TreeSet<>(kinds);
    for (EventAddress address : new LinkedHashSet<>(addresses)) {
      tags.add(Tag.of("a", address.toTagValue()));
      allKinds.add(address.kind());
    }
    for (int kind : allKinds) {
      if (kind < 0 || kind > 65535) {
        throw new IllegalArgumentException("kind must be in 0..65535, got " + kind);
      }
      tags.add(Tag.of("k", Integer.toString(kind)));
    }
    return new UnsignedEvent(author, createdAt, DeletionRequest.KIND, new Tags(tags), reason);
  }

  public static DeletionRequest parse(NostrEvent event) throws DeletionParseException {
    return parse(event.id(), event.unsigned());
  }

  /** NIP-17 deletions travel as unsigned rumors inside gift wraps. */
  public static DeletionRequest parse(Rumor rumor) throws DeletionParseException {
    return parse(rumor.id(), rumor.event());
  }

  public static boolean deletes(DeletionRequest request, NostrEvent target) {
    return request.deletes(target);
  }

  private static DeletionRequest parse(EventId id, UnsignedEvent event)
      throws DeletionParseException {
    if (event.kind() != DeletionRequest.KIND) {
      throw new DeletionParseException(
          DeletionParseException.Reason.NOT_A_DELETION, "kind " + event.kind() + " is not 5");
    }
    Set<EventId> eventIds = new LinkedHashSet<>();
    Set<EventAddress> addresses = new LinkedHashSet<>();
    Set<Integer> kinds = new TreeSet<>();
    for (Tag tag : event.tags().list()) {
      Optional<String> value = tag.value();
      if (value.isEmpty()) {
        continue;
      }
      switch (tag.name()) {
        case "e" -> {
          if (Hex.isLowerHex(value.get(), EventId.LENGTH)) {
            eventIds.add(EventId.fromHex(value.get()));
          }
        }
        case "a" -> EventAddress.parse(value.get()).ifPresent(addresses::add);
        case "k" -> parseKind(value.get()).ifPresent(kinds::add);
        default -> { } // other tags carry no deletion meaning
      }
    }
    if (eventIds.isEmpty() && addresses.isEmpty()) {
      throw new DeletionParseException(
          DeletionParseException.Reason.NO_TARGETS, "no well-formed e or a tag");
    }
    return new DeletionRequest(
        id, event.pubkey(), event.createdAt(), eventIds, addresses, kinds, event.content());
  }

  private static Optional<Integer> parseKind(String value) {
    if (value.isEmpty() || value.length() > 5) {
      return Optional.empty();
    }
    for (int i = 0; i < value.length(); i++) {
      if (value.charAt(i) < '0' || value.charAt(i) > '9') {
        return Optional.empty();
      }
    }
    int kind = Integer.parseInt(value);
    return kind <= 65535 ? Optional.of(kind) : Optional.empty();
  }
}
