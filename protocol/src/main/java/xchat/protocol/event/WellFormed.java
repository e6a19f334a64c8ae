package xchat.protocol.event;

/** Checks shared by event constructors. */
final class WellFormed {
  private WellFormed() {}

  /** Unpaired surrogates cannot be encoded as UTF-8, so they could never hash canonically. */
  static void requireValidUnicode(String value, String field) {
    if (value == null) {
      throw new IllegalArgumentException(field + " must not be null");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
          throw new IllegalArgumentException(field + " has an unpaired surrogate at " + i);
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        throw new IllegalArgumentException(field + " has an unpaired surrogate at " + i);
      }
    }
  }

  static void requireValid(long createdAt, int kind, Tags tags, String content) {
    if (createdAt < 0) {
      throw new IllegalArgumentException("created_at must not be negative");
    }
    if (kind < 0 || kind > 65535) {
      throw new IllegalArgumentException("kind must be in 0..65535, got " + kind);
    }
    if (tags == null) {
      throw new IllegalArgumentException("tags must not be null");
    }
    for (Tag tag : tags.list()) {
      for (String value : tag.values()) {
        requireValidUnicode(value, "tag value");
      }
    }
    requireValidUnicode(content, "content");
  }
}
