package xchat.protocol.message;

import xchat.protocol.event.ParseLimits;
import xchat.protocol.filter.FilterLimits;

/**
 * Bounds on one incoming frame. The frame size is checked before any parsing, so it also bounds
 * every string, event and filter inside the frame.
 */
public record MessageLimits(
    int maxFrameBytes, int maxFiltersPerReq, FilterLimits filter, ParseLimits event) {

  /** A default event plus envelope; 16 filters per REQ. */
  public static final MessageLimits DEFAULT =
      new MessageLimits(
          ParseLimits.DEFAULT.maxEventBytes() + 64 * 1024,
          16,
          FilterLimits.DEFAULT,
          ParseLimits.DEFAULT);

  public MessageLimits {
    if (maxFrameBytes <= 0 || maxFiltersPerReq <= 0) {
      throw new IllegalArgumentException("message limits must be positive");
    }
    if (filter == null || event == null) {
      throw new IllegalArgumentException("filter and event limits are required");
    }
  }
}
