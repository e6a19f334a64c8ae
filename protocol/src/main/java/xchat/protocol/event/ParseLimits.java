package xchat.protocol.event;

/** Bounds that keep a hostile event from costing unbounded memory or time. */
public record ParseLimits(
    int maxEventBytes, int maxTags, int maxTagValues, int maxStringLength) {

  /** Large enough for a gift wrap of a 64 KiB NIP-44 payload, small enough to bound a relay. */
  public static final ParseLimits DEFAULT = new ParseLimits(512 * 1024, 2500, 100, 400 * 1024);

  public ParseLimits {
    if (maxEventBytes <= 0 || maxTags < 0 || maxTagValues <= 0 || maxStringLength <= 0) {
      throw new IllegalArgumentException("parse limits must be positive");
    }
  }
}
