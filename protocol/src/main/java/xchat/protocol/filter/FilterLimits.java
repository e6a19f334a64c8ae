package xchat.protocol.filter;

/** Bounds on one parsed filter; the size of the whole frame is bounded by the message parser. */
public record FilterLimits(int maxValuesPerField) {

  /** Room for a REQ that fetches the ids one negentropy round reports missing. */
  public static final FilterLimits DEFAULT = new FilterLimits(1000);

  public FilterLimits {
    if (maxValuesPerField <= 0) {
      throw new IllegalArgumentException("maxValuesPerField must be positive");
    }
  }
}
