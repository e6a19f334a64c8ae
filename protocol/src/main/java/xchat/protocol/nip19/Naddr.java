package xchat.protocol.nip19;

import java.util.Arrays;
import java.util.List;
import xchat.protocol.hex.Hex;

/**
 * An addressable event coordinate: its {@code d} tag identifier (TLV 0, empty for a replaceable
 * event), author (2) and kind (3), all required, plus relays (1).
 */
public record Naddr(String identifier, byte[] author, long kind, List<String> relays)
    implements Nip19Entity {
  public static final String PREFIX = "naddr";

  public Naddr {
    Fields.utf8(identifier, "identifier");
    author = Fields.copy32(author, "author");
    Fields.kind(kind);
    relays = Fields.relays(relays);
  }

  @Override
  public byte[] author() {
    return author.clone();
  }

  public String authorHex() {
    return Hex.encode(author);
  }

  @Override
  public String prefix() {
    return PREFIX;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Naddr that
        && identifier.equals(that.identifier)
        && Arrays.equals(author, that.author)
        && kind == that.kind
        && relays.equals(that.relays);
  }

  @Override
  public int hashCode() {
    return ((identifier.hashCode() * 31 + Arrays.hashCode(author)) * 31 + Long.hashCode(kind)) * 31
        + relays.hashCode();
  }

  @Override
  public String toString() {
    return "Naddr[" + kind + ":" + authorHex() + ":" + identifier + ", relays=" + relays + "]";
  }
}
