package xchat.protocol.nip17;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import xchat.protocol.event.CanonicalJson;
import xchat.protocol.event.Rumor;
import xchat.protocol.event.UnsignedEvent;
import xchat.protocol.hex.Hex;
import xchat.protocol.keys.PublicKey;

/**
 * NIP-17: the set of the rumor's pubkey and its p tags is the chat room. Adding or removing a member
 * makes a new room.
 */
public record ChatRoom(Set<PublicKey> members) {

  public ChatRoom {
    if (members == null || members.isEmpty()) {
      throw new IllegalArgumentException("a chat room has at least one member");
    }
    // Sorted, not Set.copyOf: its iteration order changes per JVM, and wrapping iterates members,
    // so the order random draws are made in must not depend on it (the simulator replays seeds).
    members = Collections.unmodifiableSortedSet(new TreeSet<>(members));
  }

  /** The room a rumor belongs to. Malformed p tags are ignored rather than forming a new room. */
  public static ChatRoom of(Rumor rumor) {
    return of(rumor.event());
  }

  public static ChatRoom of(UnsignedEvent event) {
    Set<PublicKey> members = new TreeSet<>();
    members.add(event.pubkey());
    for (String value : event.tags().values("p")) {
      if (Hex.isLowerHex(value, PublicKey.LENGTH)) {
        members.add(PublicKey.fromHex(value));
      }
    }
    return new ChatRoom(members);
  }

  /** A stable identifier: SHA-256 over the sorted member keys. */
  public String id() {
    StringBuilder joined = new StringBuilder(members.size() * 64);
    for (PublicKey member : new TreeSet<>(members)) {
      joined.append(member.hex());
    }
    return Hex.encode(CanonicalJson.sha256(joined.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
  }

  /** Everyone in the room except {@code self}. */
  public Set<PublicKey> others(PublicKey self) {
    Set<PublicKey> others = new TreeSet<>(members);
    others.remove(self);
    return others;
  }
}
