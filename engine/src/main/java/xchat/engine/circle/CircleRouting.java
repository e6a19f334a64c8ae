package xchat.engine.circle;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import xchat.protocol.event.CanonicalJson;
import xchat.protocol.event.Rumor;
import xchat.protocol.event.Tag;
import xchat.protocol.event.UnsignedEvent;
import xchat.protocol.hex.Hex;

/**
 * Which circle a wrap belongs to when several circles of the account read the same relay URL
 * (each through its own socket). A rumor sent from xchat carries a {@code circle} tag: a hash of
 * the circle's name, visible only to the room's members (it is inside the seal). A circle takes
 * a wrap when the tag names it; it leaves it when the tag names another circle that reads the
 * same relay; an untagged wrap (from another client) goes to the first such circle by name. So a
 * message lives in one circle only, and a circle's own relay never feeds another circle.
 *
 * <p>Thread-safe: the guardian replaces the table whenever circles change.
 */
public final class CircleRouting {
  public static final String TAG = "circle";

  private volatile Map<String, List<String>> relaysByCircle = Map.of();

  /** The tag value for a circle name: the same on every device and for every member. */
  public static String tagOf(String circleName) {
    byte[] hash = CanonicalJson.sha256(("xchat circle " + circleName).getBytes(StandardCharsets.UTF_8));
    return Hex.encode(java.util.Arrays.copyOf(hash, 16));
  }

  /** The rumor with this circle's tag added. */
  public static Rumor tagged(Rumor rumor, String circleName) {
    UnsignedEvent event = rumor.event();
    return Rumor.of(new UnsignedEvent(event.pubkey(), event.createdAt(), event.kind(),
        event.tags().with(Tag.of(TAG, tagOf(circleName))), event.content()));
  }

  public void update(Map<String, List<String>> circles) {
    relaysByCircle = Map.copyOf(new TreeMap<>(circles));
  }

  /** Whether circle {@code here} keeps a rumor that reached it from {@code relay}. */
  public boolean belongsHere(String here, String relay, Rumor rumor) {
    Map<String, List<String>> table = relaysByCircle;
    Optional<String> tag = rumor.event().tags().first(TAG);
    if (tag.isPresent() && tag.get().equals(tagOf(here))) {
      return true;
    }
    String first = null;
    for (Map.Entry<String, List<String>> e : new TreeMap<>(table).entrySet()) {
      if (e.getValue().contains(relay)) {
        if (tag.isPresent() && tag.get().equals(tagOf(e.getKey()))) {
          return false; // another circle reading this relay is named by the tag
        }
        if (first == null) {
          first = e.getKey();
        }
      }
    }
    return first == null || first.equals(here) || !table.getOrDefault(here, List.of()).contains(relay);
  }
}
