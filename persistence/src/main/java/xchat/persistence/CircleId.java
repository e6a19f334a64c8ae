package xchat.persistence;

/**
 * An opaque circle identifier chosen by the engine. It appears on disk only inside sealed
 * records; keys carry an HMAC of it.
 */
public record CircleId(String value) {
  public static final int MAX_LENGTH = 256;

  public CircleId {
    if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("circle id must be 1.." + MAX_LENGTH + " characters");
    }
  }

  public static CircleId of(String value) {
    return new CircleId(value);
  }

  @Override
  public String toString() {
    return value;
  }
}
