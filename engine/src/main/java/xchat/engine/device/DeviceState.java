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
 *   <li>circles: a last-writer-wins map from name to definition (relays, file servers, present or
 *       removed); stamps are hybrid (wall millis, device id), so a device's own later edit always
 *       wins over what it has seen;
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

  public record CircleEntry(boolean present, List<String> relays, List<String> fileServers, Stamp stamp) {
    public CircleEntry {
      relays = List.copyOf(relays);
      fileServers = List.copyOf(fileServers);
      Objects.requireNonNull(stamp, "stamp");
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
      max = Math.max(max, e.stamp().millis());
    }
    for (MuteEntry e : mutes.values()) {
      max = Math.max(max, e.stamp().millis());
    }
    return max;
  }

  public DeviceState withCircle(String name, CircleEntry entry) {
    TreeMap<String, CircleEntry> next = new TreeMap<>(circles);
    next.merge(name, entry, DeviceState::laterCircle);
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
    other.circles.forEach((k, v) -> c.merge(k, v, DeviceState::laterCircle));
    TreeMap<String, ReadEntry> r = new TreeMap<>(reads);
    other.reads.forEach((k, v) -> r.merge(k, v, DeviceState::max));
    TreeMap<String, MuteEntry> m = new TreeMap<>(mutes);
    other.mutes.forEach((k, v) -> m.merge(k, v, DeviceState::laterMute));
    TreeMap<String, DeviceEntry> d = new TreeMap<>(devices);
    other.devices.forEach((k, v) -> d.merge(k, v, DeviceState::laterDevice));
    return new DeviceState(c, r, m, d);
  }

  private static CircleEntry laterCircle(CircleEntry a, CircleEntry b) {
    int order = a.stamp().compareTo(b.stamp());
    if (order != 0) {
      return order > 0 ? a : b;
    }
    // Same stamp means the same edit; fall back to a total order so the join stays commutative.
    return describe(a).compareTo(describe(b)) >= 0 ? a : b;
  }

  private static String describe(CircleEntry e) {
    return e.present() + "|" + String.join(",", e.relays()) + "|" + String.join(",", e.fileServers());
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
        out.writeBooleanField("p", e.getValue().present());
        writeStrings(out, "r", e.getValue().relays());
        writeStrings(out, "f", e.getValue().fileServers());
        writeStamp(out, e.getValue().stamp());
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
              bool(fields, "p"), strings(fields, "r"), strings(fields, "f"), stamp(fields))));
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
    } catch (IOException | IllegalArgumentException | NullPointerException | ClassCastException e) {
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
