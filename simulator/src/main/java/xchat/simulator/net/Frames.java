package xchat.simulator.net;

/** Cheap summaries of Nostr frames for the trace: type, subscription, event id and kind. */
public final class Frames {
  private Frames() {}

  public static String type(String frame) {
    int start = frame.indexOf('"');
    int end = start < 0 ? -1 : frame.indexOf('"', start + 1);
    return end < 0 ? "?" : frame.substring(start + 1, end);
  }

  /** The first event id in the frame: the event's own for EVENT, the acknowledged one for OK. */
  public static String eventId(String frame) {
    String type = type(frame);
    if (type.equals("OK")) {
      int start = frame.indexOf('"', 5);
      return start >= 0 && frame.length() >= start + 65 ? frame.substring(start + 1, start + 65) : "";
    }
    int at = frame.indexOf("\"id\":\"");
    return at >= 0 && frame.length() >= at + 70 ? frame.substring(at + 6, at + 70) : "";
  }

  static String[] refs(String frame) {
    String id = eventId(frame);
    return id.isEmpty() ? new String[0] : new String[] {id};
  }

  public static String summary(String frame) {
    String type = type(frame);
    String id = eventId(frame);
    StringBuilder out = new StringBuilder(type);
    if (!id.isEmpty()) {
      out.append(' ').append(id, 0, 12);
    }
    int kindAt = frame.indexOf("\"kind\":");
    if (kindAt >= 0 && (type.equals("EVENT") || type.equals("AUTH"))) {
      int end = kindAt + 7;
      while (end < frame.length() && Character.isDigit(frame.charAt(end))) {
        end++;
      }
      out.append(" kind ").append(frame, kindAt + 7, end);
    }
    if (type.equals("OK")) {
      out.append(frame.contains(",true,") ? " true" : " false");
    } else if (type.equals("REQ") || type.equals("CLOSE") || type.equals("EOSE") || type.equals("CLOSED")
        || type.startsWith("NEG-")) {
      int start = frame.indexOf('"', type.length() + 3);
      int end = start < 0 ? -1 : frame.indexOf('"', start + 1);
      if (end > start) {
        out.append(' ').append(frame, start + 1, Math.min(end, start + 25));
      }
    }
    return out.toString();
  }
}
