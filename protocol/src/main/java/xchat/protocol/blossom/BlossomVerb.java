package xchat.protocol.blossom;

import java.util.Locale;
import java.util.Optional;

/** The {@code t} tag of a BUD-01 authorization event: which endpoint it unlocks. */
public enum BlossomVerb {
  GET,
  UPLOAD,
  LIST,
  DELETE;

  /** The tag value, as BUD-01 spells it: lower case. */
  public String tagValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<BlossomVerb> fromTagValue(String value) {
    for (BlossomVerb verb : values()) {
      if (verb.tagValue().equals(value)) {
        return Optional.of(verb);
      }
    }
    return Optional.empty();
  }

  /** BUD-02: upload and delete events must name the blob with at least one {@code x} tag. */
  public boolean requiresBlobHash() {
    return this == UPLOAD || this == DELETE;
  }
}
