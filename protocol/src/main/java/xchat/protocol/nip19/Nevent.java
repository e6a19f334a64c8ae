package xchat.protocol.nip19;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import xchat.protocol.hex.Hex;

/** An event: its id (TLV 0), relays (1), and optionally its author (2) and kind (3). */
public record Nevent(
    byte[] eventId, List<String> relays, Optional<byte[]> author, OptionalLong kind)
    implements Nip19Entity {
  public static final String PREFIX = "nevent";

  public Nevent {
    eventId = Fields.copy32(eventId, "event id");
    relays = Fields.relays(relays);
    author = Objects.requireNonNull(author, "author").map(key -> Fields.copy32(key, "author"));
    if (Objects.requireNonNull(kind, "kind").isPresent()) {
      Fields.kind(kind.getAsLong());
    }
  }

  /** An event reference with no hints. */
  public Nevent(byte[] eventId) {
    this(eventId, List.of(), Optional.empty(), OptionalLong.empty());
  }

  @Override
  public byte[] eventId() {
    return eventId.clone();
  }

  @Override
  public Optional<byte[]> author() {
    return author.map(byte[]::clone);
  }

  public String eventIdHex() {
    return Hex.encode(eventId);
  }

  public Optional<String> authorHex() {
    return author.map(Hex::encode);
  }

  @Override
  public String prefix() {
    return PREFIX;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Nevent that
        && Arrays.equals(eventId, that.eventId)
        && relays.equals(that.relays)
        && authorHex().equals(that.authorHex())
        && kind.equals(that.kind);
  }

  @Override
  public int hashCode() {
    return ((Arrays.hashCode(eventId) * 31 + relays.hashCode()) * 31 + authorHex().hashCode()) * 31
        + kind.hashCode();
  }

  @Override
  public String toString() {
    return "Nevent["
        + eventIdHex()
        + ", relays="
        + relays
        + authorHex().map(a -> ", author=" + a).orElse("")
        + (kind.isPresent() ? ", kind=" + kind.getAsLong() : "")
        + "]";
  }
}
