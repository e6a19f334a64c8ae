package xchat.protocol.nip17;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.Rumor;
import xchat.protocol.event.Tag;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.keys.PublicKey;
import xchat.protocol.nip59.GiftWrap;

/** Sends one rumor to its room: one wrap per recipient and one to the author's own key. */
public final class PrivateMessages {
  private PrivateMessages() {}

  /** One wrap addressed to one key. */
  public record Copy(PublicKey recipient, NostrEvent wrap) {}

  /**
   * Wraps {@code rumor} for every member of its room, the author included. The same rumor (same id)
   * goes in every copy, so every device sees one message.
   */
  public static List<Copy> wrapForRoom(Rumor rumor, KeyPair author, GiftWrap giftWrap) {
    List<Tag> extra = expirationTags(rumor);
    List<Copy> copies = new ArrayList<>();
    for (PublicKey member : ChatRoom.of(rumor).members()) {
      copies.add(new Copy(member, giftWrap.sealAndWrap(rumor, author, member, extra)));
    }
    copies.sort((a, b) -> a.recipient().equals(author.publicKey()) ? 1
        : b.recipient().equals(author.publicKey()) ? -1 : a.recipient().compareTo(b.recipient()));
    return copies;
  }

  // NIP-17: an expiring message carries the expiration on the wrap and on the seal too.
  private static List<Tag> expirationTags(Rumor rumor) {
    Optional<String> expiration = rumor.event().tags().first("expiration");
    return expiration.map(at -> List.of(Tag.of("expiration", at))).orElse(List.of());
  }
}
