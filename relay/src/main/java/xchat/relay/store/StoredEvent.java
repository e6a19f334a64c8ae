package xchat.relay.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import xchat.protocol.event.EventId;
import xchat.protocol.event.EventJson;
import xchat.protocol.event.EventParseException;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.ParseLimits;
import xchat.protocol.event.Signature;
import xchat.protocol.event.Tag;
import xchat.protocol.event.Tags;
import xchat.protocol.filter.Filter;
import xchat.protocol.hex.Hex;
import xchat.protocol.keys.PublicKey;
import xchat.protocol.nip40.Expiration;

/**
 * An event as the store holds it: the JSON it was stored as, and the fields that filters, NIP-40
 * and NIP-42/59 access need. Serving it splices the stored JSON into the frame as it is.
 *
 * <p>Reading one checks only structure: the value is one JSON object with every NIP-01 field of
 * the right type, lower-case hex where hex belongs, and the id it was stored under. The id hash
 * and the signature are not recomputed: the event passed both on the way in, and the store is
 * the relay's own. {@link #toEvent} does the full parse for callers that want a {@link
 * NostrEvent}.
 *
 * <p>Not a record: it owns its JSON array without copying it in or out (it is the hot path of a
 * catch-up), and no accessor hands the array out.
 */
public final class StoredEvent {

  /** Stored events were validated on the way in; these limits only guard against corruption. */
  static final ParseLimits STORED =
      new ParseLimits(Integer.MAX_VALUE, 1_000_000, 1_000_000, Integer.MAX_VALUE);

  private final EventId id;
  private final PublicKey pubkey;
  private final long createdAt;
  private final int kind;
  private final Tags tags;
  private final byte[] json;

  private StoredEvent(
      EventId id, PublicKey pubkey, long createdAt, int kind, Tags tags, byte[] json) {
    this.id = id;
    this.pubkey = pubkey;
    this.createdAt = createdAt;
    this.kind = kind;
    this.tags = tags;
    this.json = json;
  }

  /**
   * Reads the value stored under {@code key}; takes ownership of {@code json}.
   *
   * @throws StoreException when the value is not a well-formed event stored under that id
   */
  static StoredEvent read(byte[] key, byte[] json) {
    try (JsonParser parser = EventJson.FACTORY.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw corrupt("not a JSON object");
      }
      String id = null;
      String pubkey = null;
      boolean sig = false;
      boolean content = false;
      long createdAt = -1;
      long kind = -1;
      Tags tags = null;
      JsonToken token;
      while ((token = parser.nextToken()) != JsonToken.END_OBJECT) {
        if (token != JsonToken.FIELD_NAME) {
          throw corrupt("expected a field name");
        }
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        switch (name) {
          case "id" -> id = hex(parser, value, id != null, name, EventId.LENGTH);
          case "pubkey" -> pubkey = hex(parser, value, pubkey != null, name, PublicKey.LENGTH);
          case "sig" -> sig = hex(parser, value, sig, name, Signature.LENGTH) != null;
          case "created_at" -> createdAt = integer(parser, value, createdAt >= 0, name, Long.MAX_VALUE);
          case "kind" -> kind = integer(parser, value, kind >= 0, name, 65535);
          case "tags" -> {
            if (tags != null) {
              throw corrupt("tags appear twice");
            }
            tags = tags(parser, value);
          }
          case "content" -> {
            // Left undecoded: the next token skips it, and Jackson still checks its UTF-8,
            // escapes and closing quote on the way.
            if (content || value != JsonToken.VALUE_STRING) {
              throw corrupt("content is not one string");
            }
            content = true;
          }
          default -> parser.skipChildren();
        }
      }
      if (parser.nextToken() != null) {
        throw corrupt("trailing data after the event");
      }
      if (id == null || pubkey == null || !sig || createdAt < 0 || kind < 0 || tags == null
          || !content) {
        throw corrupt("a field is missing");
      }
      byte[] idBytes = Hex.decode(id, EventId.LENGTH);
      if (!Arrays.equals(idBytes, key)) {
        throw corrupt("stored under another id");
      }
      return new StoredEvent(
          new EventId(idBytes), PublicKey.fromHex(pubkey), createdAt, (int) kind, tags, json);
    } catch (IOException e) {
      // Jackson's message may quote stored content: keep only the kind of failure.
      throw corrupt("not valid JSON (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static String hex(
      JsonParser parser, JsonToken token, boolean seen, String field, int byteLength)
      throws IOException {
    if (seen || token != JsonToken.VALUE_STRING) {
      throw corrupt(field + " is not one string");
    }
    String text = parser.getText();
    if (!Hex.isLowerHex(text, byteLength)) {
      throw corrupt(field + " is not " + byteLength * 2 + " lower-case hex characters");
    }
    return text;
  }

  private static long integer(
      JsonParser parser, JsonToken token, boolean seen, String field, long max)
      throws IOException {
    if (seen || token != JsonToken.VALUE_NUMBER_INT
        || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      throw corrupt(field + " is not one integer");
    }
    long value = parser.getLongValue();
    if (value < 0 || value > max) {
      throw corrupt(field + " is out of range");
    }
    return value;
  }

  private static Tags tags(JsonParser parser, JsonToken token) throws IOException {
    if (token != JsonToken.START_ARRAY) {
      throw corrupt("tags is not an array");
    }
    List<Tag> tags = new ArrayList<>();
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
      if (token != JsonToken.START_ARRAY) {
        throw corrupt("a tag is not an array");
      }
      List<String> values = new ArrayList<>(4);
      while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
        if (token != JsonToken.VALUE_STRING) {
          throw corrupt("a tag value is not a string");
        }
        values.add(parser.getText());
      }
      if (values.isEmpty()) {
        throw corrupt("a tag is empty");
      }
      tags.add(new Tag(values));
    }
    return new Tags(tags);
  }

  private static StoreException corrupt(String reason) {
    return new StoreException("a stored event is corrupt: " + reason);
  }

  /** The full parse, id hash included. */
  public NostrEvent toEvent() {
    try {
      return EventJson.parse(json, STORED);
    } catch (EventParseException e) {
      throw corrupt(e.reason().name());
    }
  }

  public EventId id() {
    return id;
  }

  public PublicKey pubkey() {
    return pubkey;
  }

  public long createdAt() {
    return createdAt;
  }

  public int kind() {
    return kind;
  }

  public Tags tags() {
    return tags;
  }

  /** The stored JSON's length in bytes. */
  public int jsonLength() {
    return json.length;
  }

  /**
   * {@code head}, the stored JSON and {@code tail} as one string, decoded from UTF-8 once: a frame
   * around the event without re-serialising it.
   */
  public String between(byte[] head, byte[] tail) {
    byte[] frame = new byte[head.length + json.length + tail.length];
    System.arraycopy(head, 0, frame, 0, head.length);
    System.arraycopy(json, 0, frame, head.length, json.length);
    System.arraycopy(tail, 0, frame, head.length + json.length, tail.length);
    return new String(frame, StandardCharsets.UTF_8);
  }

  /** The stored JSON as a string. */
  public String json() {
    return new String(json, StandardCharsets.UTF_8);
  }

  /** {@link Filter#matches} for the stored fields: NIP-01, every present condition must hold. */
  public boolean matches(Filter filter) {
    if (filter.ids().isPresent() && !filter.ids().get().contains(id)) {
      return false;
    }
    if (filter.authors().isPresent() && !filter.authors().get().contains(pubkey)) {
      return false;
    }
    if (filter.kinds().isPresent() && !filter.kinds().get().contains(kind)) {
      return false;
    }
    if (filter.since().isPresent() && createdAt < filter.since().getAsLong()) {
      return false;
    }
    if (filter.until().isPresent() && createdAt > filter.until().getAsLong()) {
      return false;
    }
    for (Map.Entry<Character, Set<String>> condition : filter.tags().entrySet()) {
      if (!hasTagValueIn(condition.getKey(), condition.getValue())) {
        return false;
      }
    }
    return true;
  }

  // NIP-01: only the first value of a tag is indexed, so only element 1 is compared.
  private boolean hasTagValueIn(char letter, Set<String> wanted) {
    for (Tag tag : tags.list()) {
      String name = tag.name();
      if (tag.size() > 1 && name.length() == 1 && name.charAt(0) == letter
          && wanted.contains(tag.values().get(1))) {
        return true;
      }
    }
    return false;
  }

  public boolean isExpired(long nowSeconds) {
    return Expiration.isExpired(tags, nowSeconds);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof StoredEvent that && id.equals(that.id) && Arrays.equals(json, that.json);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return "StoredEvent[" + id + "]";
  }
}
