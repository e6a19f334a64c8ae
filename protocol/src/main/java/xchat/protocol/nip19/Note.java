package xchat.protocol.nip19;

import java.util.Arrays;
import xchat.protocol.hex.Hex;

/** A bare event id (32 bytes). */
public record Note(byte[] eventId) implements Nip19Entity {
  public static final String PREFIX = "note";

  public Note {
    eventId = Fields.copy32(eventId, "event id");
  }

  public static Note ofHex(String eventIdHex) {
    return new Note(Hex.decode(eventIdHex, Fields.KEY_LENGTH));
  }

  @Override
  public byte[] eventId() {
    return eventId.clone();
  }

  public String eventIdHex() {
    return Hex.encode(eventId);
  }

  @Override
  public String prefix() {
    return PREFIX;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Note that && Arrays.equals(eventId, that.eventId);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(eventId);
  }

  @Override
  public String toString() {
    return "Note[" + eventIdHex() + "]";
  }
}
