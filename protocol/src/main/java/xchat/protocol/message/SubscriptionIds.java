package xchat.protocol.message;

/** NIP-01 subscription ids: "an arbitrary, non-empty string of max length 64 chars". */
public final class SubscriptionIds {
  /** Counted in Unicode code points. */
  public static final int MAX_LENGTH = 64;

  private SubscriptionIds() {}

  public static boolean isValid(String id) {
    if (id == null || id.isEmpty() || id.length() > 2 * MAX_LENGTH) {
      return false;
    }
    return id.codePointCount(0, id.length()) <= MAX_LENGTH
        && Text.isEncodable(id);
  }

  /** Throws {@link IllegalArgumentException} unless {@link #isValid} holds. */
  public static String require(String id) {
    if (!isValid(id)) {
      throw new IllegalArgumentException("subscription id must be 1 to 64 characters");
    }
    return id;
  }
}
