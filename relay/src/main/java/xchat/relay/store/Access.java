package xchat.relay.store;

import java.util.Set;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.Tags;
import xchat.protocol.keys.PublicKey;
import xchat.protocol.nip59.GiftWrap;

/**
 * Who is reading: the pubkeys a connection has authenticated as (NIP-42). A kind-1059 gift wrap
 * is served only to a reader authenticated as one of its p-tagged recipients, whatever else the
 * relay allows.
 */
public record Access(Set<PublicKey> authenticated) {
  public static final Access ANONYMOUS = new Access(Set.of());

  public Access {
    authenticated = Set.copyOf(authenticated);
  }

  public boolean maySee(NostrEvent event) {
    return maySee(event.kind(), event.tags());
  }

  public boolean maySee(StoredEvent event) {
    return maySee(event.kind(), event.tags());
  }

  private boolean maySee(int kind, Tags tags) {
    if (kind != GiftWrap.WRAP_KIND) {
      return true;
    }
    for (String recipient : tags.values("p")) {
      if (isRecipient(recipient)) {
        return true;
      }
    }
    return false;
  }

  boolean isRecipient(String pubkeyHex) {
    for (PublicKey key : authenticated) {
      if (key.hex().equals(pubkeyHex)) {
        return true;
      }
    }
    return false;
  }
}
