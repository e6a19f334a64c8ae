package xchat.engine.device;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import xchat.protocol.event.EventJson;

/**
 * The account's device state as a state-based CRDT: merging is commutative, associative and
 * idempotent, so every device that has seen the same documents holds the same state.
 *
 * <ul>
 *   <li>circles: per name, whether it exists and its relays and file servers, each a
 *       last-writer-wins element set; stamps are hybrid (wall millis, device id), so a device's
 *       own later edit always wins over what it has seen;
 *   <li>read markers: a max-register per conversation, ordered like messages (created_at, id);
 *   <li>mutes: last-writer-wins per conversation;
 *   <li>devices: one entry per device, written only by that device, last-seen wins.
 * </ul>
 *
 * Concurrent edits of different keys on two devices both survive; concurrent edits of the same
 * key resolve to the later stamp on every device.
 */
public final class DeviceState {
  static final int VERSION = 1;
  /** A device keeps this many recent applied deletions in its entry, for confirmations. */
  static final int MAX_DELETIONS = 256;

  /** A hybrid timestamp: wall millis, then device id to break ties. */
  public record Stamp(long millis, String device) implements Comparable<Stamp> {
    public Stamp {
      Objects.requireNonNull(device, "device");
      if (millis < 0) {
        throw new IllegalArgumentException("stamp millis must not be negative");
      }
    }

    @Override
    public int compareTo(Stamp other) {
      int byTime = Long.compare(millis, other.millis);
      return byTime != 0 ? byTime : device.compareTo(other.device);
    }
  }

  /**
   * An element of a last-writer-wins element set: present while its last add is later than its
   * last remove. Merging takes the later of each, so an add and a remove on two devices resolve
   * the same way everywhere, and two adds of different elements both survive.
   */
  public record Element(Stamp added, Stamp removed) {
    public static final Stamp NEVER = new Stamp(0, "");

    public Element {
      Objects.requireNonNull(added, "added");
      Objects.requireNonNull(removed, "removed");
    }

    public static Element addedAt(Stamp stamp) {
      return new Element(stamp, NEVER);
    }

    public boolean present() {
      return added.compareTo(removed) > 0;
    }

    Element merge(Element other) {
      return new Element(max(added, other.added), max(removed, other.removed));
    }

    Element remove(Stamp stamp) {
      return new Element(added, max(removed, stamp));
    }

    Element add(Stamp stamp) {
      return new Element(max(added, stamp), removed);
    }

    private static Stamp max(Stamp a, Stamp b) {
      return a.compareTo(b) >= 0 ? a : b;
    }

    long maxMillis() {
      return Math.max(added.millis(), removed.millis());
    }
  }

  /**
   * A circle: whether it exists, and its relays and file servers, each an element set. A device
   * that adds a circle it has not heard of yet only adds: it never removes a relay that another
   * device added meanwhile.
   */
  public record CircleEntry(Element presence, SortedMap<String, Element> relays, SortedMap<String, Element> fileServers) {
    public CircleEntry {
      Objects.requireNonNull(presence, "presence");
      relays = Collections.unmodifiableSortedMap(new TreeMap<>(relays));
      fileServers = Collections.unmodifiableSortedMap(new TreeMap<>(fileServers));
    }

    public boolean present() {
      return presence.present();
    }

    public List<String> relayList() {
      return presentKeys(relays);
    }

    public List<String> fileServerList() {
      return presentKeys(fileServers);
    }

    CircleEntry merge(CircleEntry other) {
      return new CircleEntry(presence.merge(other.presence), mergeSets(relays, other.relays),
          mergeSets(fileServers, other.fileServers));
    }

    /** This circle made present, with exactly {@code relays} and {@code servers} present. */
    public CircleEntry edit(boolean present, List<String> newRelays, List<String> newServers, Stamp stamp) {
      Element p = present ? (presence.present() ? presence : presence.add(stamp)) : presence.remove(stamp);
      return new CircleEntry(p, setTo(relays, newRelays, stamp), setTo(fileServers, newServers, stamp));
    }

    public static CircleEntry empty() {
      return new CircleEntry(new Element(Element.NEVER, Element.NEVER), new TreeMap<>(), new TreeMap<>());
    }

    long maxMillis() {
      long max = presence.maxMillis();
      for (Element e : relays.values()) {
        max = Math.max(max, e.maxMillis());
      }
      for (Element e : fileServers.values()) {
        max = Math.max(max, e.maxMillis());
      }
      return max;
    }

    private static List<String> presentKeys(SortedMap<String, Element> set) {
      List<String> out = new ArrayList<>();
      set.forEach((k, v) -> {
        if (v.present()) {
          out.add(k);
        }
      });
      return out;
    }

    private static SortedMap<String, Element> mergeSets(SortedMap<String, Element> a, SortedMap<String, Element> b) {
      TreeMap<String, Element> out = new TreeMap<>(a);
      b.forEach((k, v) -> out.merge(k, v, Element::merge));
      return out;
    }

    private static SortedMap<String, Element> setTo(SortedMap<String, Element> set, List<String> wanted, Stamp stamp) {
      TreeMap<String, Element> out = new TreeMap<>(set);
      for (String key : wanted) {
        Element existing = out.get(key);
        if (existing == null || !existing.present()) {
          out.put(key, existing == null ? Element.addedAt(stamp) : existing.add(stamp));
        }
      }
      for (Map.Entry<String, Element> e : set.entrySet()) {
        if (e.getValue().present() && !wanted.contains(e.getKey())) {
          out.put(e.getKey(), e.getValue().remove(stamp));
        }
      }
      return out;
    }
  }

  public record ReadEntry(long createdAt, String rumorId) implements Comparable<ReadEntry> {
    public ReadEntry {
      Objects.requireNonNull(rumorId, "rumorId");
    }

    @Override
    public int compareTo(ReadEntry other) {
      int byTime = Long.compare(createdAt, other.createdAt);
      return byTime != 0 ? byTime : rumorId.compareTo(other.rumorId);
    }
  }

  public record MuteEntry(boolean muted, Stamp stamp) {}

  /** @param deletions rumor ids of deletions this device applied recently (newest last) */
  public record DeviceEntry(String label, long lastSeen, List<String> deletions) {
    public DeviceEntry {
      Objects.requireNonNull(label, "label");
      deletions = List.copyOf(deletions);
    }
  }

  private final SortedMap<String, CircleEntry> circles;
  private final SortedMap<String, ReadEntry> reads;
  private final SortedMap<String, MuteEntry> mutes;
  private final SortedMap<String, DeviceEntry> devices;

  public static final DeviceState EMPTY =
      new DeviceState(new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), new TreeMap<>());

  private DeviceState(
      SortedMap<String, CircleEntry> circles,
      SortedMap<String, ReadEntry> reads,
      SortedMap<String, MuteEntry> mutes,
      SortedMap<String, DeviceEntry> devices) {
    this.circles = Collections.unmodifiableSortedMap(circles);
    this.reads = Collections.unmodifiableSortedMap(reads);
    this.mutes = Collections.unmodifiableSortedMap(mutes);
    this.devices = Collections.unmodifiableSortedMap(devices);
  }

  public SortedMap<String, CircleEntry> circles() {
    return circles;
  }

  public SortedMap<String, ReadEntry> reads() {
    return reads;
  }

  public SortedMap<String, MuteEntry> mutes() {
    return mutes;
  }

  public SortedMap<String, DeviceEntry> devices() {
    return devices;
  }

  /** Key of a conversation in the read and mute maps. */
  public static String conversationKey(String circle, String conversation) {
    return circle + ":" + conversation;
  }

  /** The newest stamp in the state: a device's next stamp must be above it. */
  public long maxStampMillis() {
    long max = 0;
    for (CircleEntry e : circles.values()) {
      max = Math.max(max, e.maxMillis());
    }
    for (MuteEntry e : mutes.values()) {
      max = Math.max(max, e.stamp().millis());
    }
    return max;
  }

  /** The circle edited to exactly this presence, relays and file servers, at {@code stamp}. */
  public DeviceState editCircle(String name, boolean present, List<String> relays, List<String> servers, Stamp stamp) {
    TreeMap<String, CircleEntry> next = new TreeMap<>(circles);
    next.put(name, next.getOrDefault(name, CircleEntry.empty()).edit(present, relays, servers, stamp));
    return new DeviceState(next, new TreeMap<>(reads), new TreeMap<>(mutes), new TreeMap<>(devices));
  }

  public DeviceState withRead(String key, ReadEntry entry) {
    TreeMap<String, ReadEntry> next = new TreeMap<>(reads);
    next.merge(key, entry, DeviceState::max);
    return new DeviceState(new TreeMap<>(circles), next, new TreeMap<>(mutes), new TreeMap<>(devices));
  }

  public DeviceState withMute(String key, MuteEntry entry) {
    TreeMap<String, MuteEntry> next = new TreeMap<>(mutes);
    next.merge(key, entry, DeviceState::laterMute);
    return new DeviceState(new TreeMap<>(circles), new TreeMap<>(reads), next, new TreeMap<>(devices));
  }

  public DeviceState withDevice(String id, DeviceEntry entry) {
    TreeMap<String, DeviceEntry> next = new TreeMap<>(devices);
    next.merge(id, entry, DeviceState::laterDevice);
    return new DeviceState(new TreeMap<>(circles), new TreeMap<>(reads), new TreeMap<>(mutes), next);
  }

  /** The least state holding both: the CRDT join. */
  public DeviceState merge(DeviceState other) {
    TreeMap<String, CircleEntry> c = new TreeMap<>(circles);
    other.circles.forEach((k, v) -> c.merge(k, v, CircleEntry::merge));
    TreeMap<String, ReadEntry> r = new TreeMap<>(reads);
    other.reads.forEach((k, v) -> r.merge(k, v, DeviceState::max));
    TreeMap<String, MuteEntry> m = new TreeMap<>(mutes);
    other.mutes.forEach((k, v) -> m.merge(k, v, DeviceState::laterMute));
    TreeMap<String, DeviceEntry> d = new TreeMap<>(devices);
    other.devices.forEach((k, v) -> d.merge(k, v, DeviceState::laterDevice));
    return new DeviceState(c, r, m, d);
  }

  private static MuteEntry laterMute(MuteEntry a, MuteEntry b) {
    int order = a.stamp().compareTo(b.stamp());
    return order > 0 || (order == 0 && a.muted()) ? a : b;
  }

  private static ReadEntry max(ReadEntry a, ReadEntry b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static DeviceEntry laterDevice(DeviceEntry a, DeviceEntry b) {
    if (a.lastSeen() != b.lastSeen()) {
      return a.lastSeen() > b.lastSeen() ? a : b;
    }
    String da = a.label() + "|" + String.join(",", a.deletions());
    String db = b.label() + "|" + String.join(",", b.deletions());
    return da.compareTo(db) >= 0 ? a : b;
  }

  /** Circles present, by name. */
  public SortedMap<String, CircleEntry> presentCircles() {
    TreeMap<String, CircleEntry> out = new TreeMap<>();
    circles.forEach((name, entry) -> {
      if (entry.present()) {
        out.put(name, entry);
      }
    });
    return out;
  }

  public Optional<CircleEntry> circle(String name) {
    return Optional.ofNullable(circles.get(name));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeviceState s && circles.equals(s.circles) && reads.equals(s.reads)
        && mutes.equals(s.mutes) && devices.equals(s.devices);
  }

  @Override
  public int hashCode() {
    return Objects.hash(circles, reads, mutes, devices);
  }

  @Override
  public String toString() {
    return "DeviceState[" + circles.size() + " circles, " + reads.size() + " read markers, "
        + mutes.size() + " mutes, " + devices.size() + " devices]";
  }

  // ---- JSON ------------------------------------------------------------------------------------

  public byte[] toJson() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (JsonGenerator out = EventJson.FACTORY.createGenerator(bytes)) {
      out.writeStartObject();
      out.writeNumberField("v", VERSION);
      out.writeObjectFieldStart("circles");
      for (Map.Entry<String, CircleEntry> e : circles.entrySet()) {
        out.writeObjectFieldStart(e.getKey());
        writeStrings(out, "p", elementStrings(e.getValue().presence()));
        writeStrings(out, "r", setStrings(e.getValue().relays()));
        writeStrings(out, "f", setStrings(e.getValue().fileServers()));
        out.writeEndObject();
      }
      out.writeEndObject();
      out.writeObjectFieldStart("reads");
      for (Map.Entry<String, ReadEntry> e : reads.entrySet()) {
        out.writeObjectFieldStart(e.getKey());
        out.writeNumberField("c", e.getValue().createdAt());
        out.writeStringField("i", e.getValue().rumorId());
        out.writeEndObject();
      }
      out.writeEndObject();
      out.writeObjectFieldStart("mutes");
      for (Map.Entry<String, MuteEntry> e : mutes.entrySet()) {
        out.writeObjectFieldStart(e.getKey());
        out.writeBooleanField("m", e.getValue().muted());
        writeStamp(out, e.getValue().stamp());
        out.writeEndObject();
      }
      out.writeEndObject();
      out.writeObjectFieldStart("devices");
      for (Map.Entry<String, DeviceEntry> e : devices.entrySet()) {
        out.writeObjectFieldStart(e.getKey());
        out.writeStringField("l", e.getValue().label());
        out.writeNumberField("s", e.getValue().lastSeen());
        writeStrings(out, "x", e.getValue().deletions());
        out.writeEndObject();
      }
      out.writeEndObject();
      out.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static void writeStrings(JsonGenerator out, String field, List<String> values) throws IOException {
    out.writeArrayFieldStart(field);
    for (String v : values) {
      out.writeString(v);
    }
    out.writeEndArray();
  }

  private static void writeStamp(JsonGenerator out, Stamp stamp) throws IOException {
    out.writeNumberField("t", stamp.millis());
    out.writeStringField("d", stamp.device());
  }

  /** Thrown for a document that is not a device state this version can read. */
  public static final class FormatException extends Exception {
    public FormatException(String message) {
      super(message);
    }
  }

  public static DeviceState fromJson(byte[] json) throws FormatException {
    try (JsonParser in = EventJson.FACTORY.createParser(json)) {
      expect(in.nextToken() == JsonToken.START_OBJECT, "a document is an object");
      TreeMap<String, CircleEntry> circles = new TreeMap<>();
      TreeMap<String, ReadEntry> reads = new TreeMap<>();
      TreeMap<String, MuteEntry> mutes = new TreeMap<>();
      TreeMap<String, DeviceEntry> devices = new TreeMap<>();
      while (in.nextToken() == JsonToken.FIELD_NAME) {
        String field = in.currentName();
        JsonToken value = in.nextToken();
        switch (field) {
          case "v" -> expect(value == JsonToken.VALUE_NUMBER_INT && in.getIntValue() == VERSION, "version 1");
          case "circles" -> readMap(in, value, (key, fields) -> circles.put(key, new CircleEntry(
              element(strings(fields, "p"), 0), set(strings(fields, "r")), set(strings(fields, "f")))));
          case "reads" -> readMap(in, value, (key, fields) -> reads.put(key, new ReadEntry(
              number(fields, "c"), string(fields, "i"))));
          case "mutes" -> readMap(in, value, (key, fields) -> mutes.put(key, new MuteEntry(
              bool(fields, "m"), stamp(fields))));
          case "devices" -> readMap(in, value, (key, fields) -> devices.put(key, new DeviceEntry(
              string(fields, "l"), number(fields, "s"), strings(fields, "x"))));
          default -> in.skipChildren();
        }
      }
      return new DeviceState(circles, reads, mutes, devices);
    } catch (IOException | RuntimeException e) {
      throw new FormatException("not a device-state document: " + e.getClass().getSimpleName());
    }
  }

  private interface EntryReader {
    void read(String key, Map<String, Object> fields) throws FormatException;
  }

  private static void readMap(JsonParser in, JsonToken start, EntryReader reader)
      throws IOException, FormatException {
    expect(start == JsonToken.START_OBJECT, "a map is an object");
    while (in.nextToken() == JsonToken.FIELD_NAME) {
      String key = in.currentName();
      expect(in.nextToken() == JsonToken.START_OBJECT, "an entry is an object");
      Map<String, Object> fields = new TreeMap<>();
      while (in.nextToken() == JsonToken.FIELD_NAME) {
        String name = in.currentName();
        JsonToken token = in.nextToken();
        switch (token) {
          case VALUE_STRING -> fields.put(name, in.getText());
          case VALUE_NUMBER_INT -> fields.put(name, in.getLongValue());
          case VALUE_TRUE, VALUE_FALSE -> fields.put(name, token == JsonToken.VALUE_TRUE);
          case START_ARRAY -> {
            List<String> values = new ArrayList<>();
            while (in.nextToken() == JsonToken.VALUE_STRING) {
              values.add(in.getText());
            }
            expect(in.currentToken() == JsonToken.END_ARRAY, "arrays hold strings");
            fields.put(name, values);
          }
          default -> in.skipChildren();
        }
      }
      reader.read(key, fields);
    }
  }

  // An element is [added millis, added device, removed millis, removed device]; a set is a flat
  // list of [key, element...] groups, so the document stays plain strings.
  private static List<String> elementStrings(Element e) {
    return List.of(Long.toString(e.added().millis()), e.added().device(),
        Long.toString(e.removed().millis()), e.removed().device());
  }

  private static List<String> setStrings(SortedMap<String, Element> set) {
    List<String> out = new ArrayList<>();
    set.forEach((k, v) -> {
      out.add(k);
      out.addAll(elementStrings(v));
    });
    return out;
  }

  private static Element element(List<String> values, int at) {
    return new Element(new Stamp(Long.parseLong(values.get(at)), values.get(at + 1)),
        new Stamp(Long.parseLong(values.get(at + 2)), values.get(at + 3)));
  }

  private static SortedMap<String, Element> set(List<String> values) {
    if (values.size() % 5 != 0) {
      throw new IllegalArgumentException("a set is groups of five strings");
    }
    TreeMap<String, Element> out = new TreeMap<>();
    for (int i = 0; i < values.size(); i += 5) {
      out.put(values.get(i), element(values, i + 1));
    }
    return out;
  }

  private static boolean bool(Map<String, Object> f, String name) {
    return (Boolean) Objects.requireNonNull(f.get(name));
  }

  private static long number(Map<String, Object> f, String name) {
    return (Long) Objects.requireNonNull(f.get(name));
  }

  private static String string(Map<String, Object> f, String name) {
    return (String) Objects.requireNonNull(f.get(name));
  }

  @SuppressWarnings("unchecked")
  private static List<String> strings(Map<String, Object> f, String name) {
    Object v = f.get(name);
    return v == null ? List.of() : (List<String>) v;
  }

  private static Stamp stamp(Map<String, Object> f) {
    return new Stamp(number(f, "t"), string(f, "d"));
  }

  private static void expect(boolean condition, String what) throws FormatException {
    if (!condition) {
      throw new FormatException("not a device-state document: expected " + what);
    }
  }

  /** The deletions list after adding one, bounded (oldest dropped first). */
  static List<String> appendBounded(List<String> deletions, String rumorId) {
    if (deletions.contains(rumorId)) {
      return deletions;
    }
    List<String> next = new ArrayList<>(deletions);
    next.add(rumorId);
    while (next.size() > MAX_DELETIONS) {
      next.remove(0);
    }
    return next;
  }

  /** Every device that lists {@code rumorId} among its applied deletions. */
  public TreeSet<String> devicesThatDeleted(String rumorId) {
    TreeSet<String> out = new TreeSet<>();
    devices.forEach((id, entry) -> {
      if (entry.deletions().contains(rumorId)) {
        out.add(id);
      }
    });
    return out;
  }
}
