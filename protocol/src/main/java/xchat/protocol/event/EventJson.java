package xchat.protocol.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import xchat.protocol.event.EventParseException.Reason;
import xchat.protocol.hex.Hex;
import xchat.protocol.keys.PublicKey;

/** Strict streaming parser and writer for NIP-01 events and NIP-59 rumors. */
public final class EventJson {

  /** Shared by every xchat JSON reader: hard caps that apply before any per-call limit. */
  public static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder()
                  .maxNestingDepth(32)
                  .maxStringLength(16 * 1024 * 1024)
                  .maxNumberLength(32)
                  .build())
          .build();

  private EventJson() {}

  public static NostrEvent parse(String json) throws EventParseException {
    return parse(json.getBytes(StandardCharsets.UTF_8), ParseLimits.DEFAULT);
  }

  public static NostrEvent parse(byte[] json, ParseLimits limits) throws EventParseException {
    return parseWhole(json, limits, true).toEvent();
  }

  public static Rumor parseRumor(String json) throws EventParseException {
    return parseWhole(json.getBytes(StandardCharsets.UTF_8), ParseLimits.DEFAULT, false).toRumor();
  }

  /** Reads one event from a parser positioned on its START_OBJECT, as inside a relay message. */
  public static NostrEvent read(JsonParser parser, ParseLimits limits) throws EventParseException {
    try {
      return readFields(parser, limits, true).toEvent();
    } catch (IOException e) {
      throw translate(e);
    }
  }

  private static Fields parseWhole(byte[] json, ParseLimits limits, boolean signed)
      throws EventParseException {
    if (json.length > limits.maxEventBytes()) {
      throw new EventParseException(
          Reason.TOO_LARGE, json.length + " bytes exceeds " + limits.maxEventBytes());
    }
    try (JsonParser parser = FACTORY.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new EventParseException(Reason.NOT_AN_OBJECT, "an event is a JSON object");
      }
      Fields fields = readFields(parser, limits, signed);
      if (parser.nextToken() != null) {
        throw new EventParseException(Reason.MALFORMED_JSON, "trailing data after the event");
      }
      return fields;
    } catch (IOException e) {
      throw translate(e);
    }
  }

  private static Fields readFields(JsonParser parser, ParseLimits limits, boolean signed)
      throws IOException, EventParseException {
    if (parser.currentToken() != JsonToken.START_OBJECT) {
      throw new EventParseException(Reason.NOT_AN_OBJECT, "an event is a JSON object");
    }
    Fields fields = new Fields();
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_OBJECT) {
      if (token != JsonToken.FIELD_NAME) {
        throw new EventParseException(Reason.MALFORMED_JSON, "expected a field name");
      }
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (name) {
        case "id" -> fields.id = hexField(parser, value, fields.id, "id", EventId.LENGTH);
        case "pubkey" ->
            fields.pubkey = hexField(parser, value, fields.pubkey, "pubkey", PublicKey.LENGTH);
        case "sig" -> fields.sig = hexField(parser, value, fields.sig, "sig", Signature.LENGTH);
        case "created_at" -> {
          requireUnset(fields.createdAt, "created_at");
          fields.createdAt = integerField(parser, value, "created_at", Long.MAX_VALUE);
        }
        case "kind" -> {
          requireUnset(fields.kind, "kind");
          fields.kind = integerField(parser, value, "kind", 65535);
        }
        case "content" -> {
          requireUnset(fields.content, "content");
          fields.content = stringField(parser, value, "content", limits);
        }
        case "tags" -> {
          requireUnset(fields.tags, "tags");
          fields.tags = readTags(parser, value, limits);
        }
        default -> parser.skipChildren(); // NIP-01 permits extra fields; they are not hashed.
      }
    }
    if (!signed && fields.sig != null) {
      throw new EventParseException(Reason.WRONG_TYPE, "a rumor must not carry a signature");
    }
    fields.signed = signed;
    return fields;
  }

  private static Tags readTags(JsonParser parser, JsonToken value, ParseLimits limits)
      throws IOException, EventParseException {
    if (value != JsonToken.START_ARRAY) {
      throw new EventParseException(Reason.WRONG_TYPE, "tags must be an array");
    }
    List<Tag> tags = new ArrayList<>();
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
      if (token != JsonToken.START_ARRAY) {
        throw new EventParseException(Reason.WRONG_TYPE, "each tag must be an array");
      }
      if (tags.size() == limits.maxTags()) {
        throw new EventParseException(Reason.TOO_MANY_TAGS, "more than " + limits.maxTags());
      }
      List<String> values = new ArrayList<>(4);
      while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
        if (values.size() == limits.maxTagValues()) {
          throw new EventParseException(
              Reason.TAG_TOO_LONG, "a tag has more than " + limits.maxTagValues() + " values");
        }
        values.add(stringField(parser, token, "tag value", limits));
      }
      if (values.isEmpty()) {
        throw new EventParseException(Reason.EMPTY_TAG, "tag " + tags.size() + " is empty");
      }
      tags.add(new Tag(values));
    }
    return new Tags(tags);
  }

  private static String stringField(
      JsonParser parser, JsonToken token, String field, ParseLimits limits)
      throws IOException, EventParseException {
    if (token != JsonToken.VALUE_STRING) {
      throw new EventParseException(Reason.WRONG_TYPE, field + " must be a string");
    }
    if (parser.getTextLength() > limits.maxStringLength()) {
      throw new EventParseException(
          Reason.STRING_TOO_LONG, field + " exceeds " + limits.maxStringLength() + " characters");
    }
    String text = parser.getText();
    try {
      WellFormed.requireValidUnicode(text, field);
    } catch (IllegalArgumentException e) {
      throw new EventParseException(Reason.INVALID_UNICODE, e.getMessage());
    }
    return text;
  }

  private static String hexField(
      JsonParser parser, JsonToken token, String previous, String field, int byteLength)
      throws IOException, EventParseException {
    requireUnset(previous, field);
    if (token != JsonToken.VALUE_STRING) {
      throw new EventParseException(Reason.WRONG_TYPE, field + " must be a string");
    }
    String text = parser.getText();
    if (!Hex.isLowerHex(text, byteLength)) {
      throw new EventParseException(
          Reason.BAD_HEX, field + " must be " + byteLength * 2 + " lower-case hex characters");
    }
    return text;
  }

  private static long integerField(JsonParser parser, JsonToken token, String field, long max)
      throws IOException, EventParseException {
    if (token != JsonToken.VALUE_NUMBER_INT) {
      throw new EventParseException(Reason.BAD_NUMBER, field + " must be an integer");
    }
    if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      throw new EventParseException(Reason.BAD_NUMBER, field + " is out of range");
    }
    long value = parser.getLongValue();
    if (value < 0 || value > max) {
      throw new EventParseException(Reason.BAD_NUMBER, field + " is out of range");
    }
    return value;
  }

  private static void requireUnset(Object previous, String field) throws EventParseException {
    if (previous != null) {
      throw new EventParseException(Reason.DUPLICATE_FIELD, field + " appears twice");
    }
  }

  // Jackson's messages can quote the offending token, which may be decrypted plaintext: report only
  // the position, and do not chain the cause.
  private static EventParseException translate(IOException e) {
    String where =
        e instanceof JsonProcessingException jpe && jpe.getLocation() != null
            ? " at byte " + jpe.getLocation().getByteOffset()
            : "";
    if (e instanceof StreamConstraintsException) {
      return new EventParseException(Reason.TOO_DEEP, "nesting or size limit exceeded" + where);
    }
    if (e instanceof JsonParseException jpe
        && String.valueOf(jpe.getOriginalMessage()).contains("UTF-8")) {
      return new EventParseException(Reason.INVALID_UTF8, "input is not valid UTF-8" + where);
    }
    return new EventParseException(Reason.MALFORMED_JSON, "not valid JSON" + where);
  }

  private static final class Fields {
    String id;
    String pubkey;
    String sig;
    Long createdAt;
    Long kind;
    String content;
    Tags tags;
    boolean signed;

    private void requireComplete() throws EventParseException {
      String missing =
          pubkey == null ? "pubkey"
              : createdAt == null ? "created_at"
              : kind == null ? "kind"
              : tags == null ? "tags"
              : content == null ? "content"
              : signed && id == null ? "id"
              : signed && sig == null ? "sig"
              : null;
      if (missing != null) {
        throw new EventParseException(Reason.MISSING_FIELD, missing + " is missing");
      }
    }

    NostrEvent toEvent() throws EventParseException {
      requireComplete();
      try {
        return new NostrEvent(EventId.fromHex(id), PublicKey.fromHex(pubkey), createdAt,
            kind.intValue(), tags, content, Signature.fromHex(sig));
      } catch (IllegalArgumentException e) {
        throw new EventParseException(Reason.ID_MISMATCH, "id does not match the event");
      }
    }

    Rumor toRumor() throws EventParseException {
      requireComplete();
      UnsignedEvent event =
          new UnsignedEvent(PublicKey.fromHex(pubkey), createdAt, kind.intValue(), tags, content);
      if (id == null) {
        return Rumor.of(event);
      }
      try {
        return new Rumor(EventId.fromHex(id), event);
      } catch (IllegalArgumentException e) {
        throw new EventParseException(Reason.ID_MISMATCH, "rumor id does not match the rumor");
      }
    }
  }

  // ---- writing ----

  public static String toJson(NostrEvent event) {
    return write(generator -> write(generator, event));
  }

  public static String toJson(Rumor rumor) {
    return write(generator -> write(generator, rumor));
  }

  public static void write(JsonGenerator out, NostrEvent event) throws IOException {
    out.writeStartObject();
    out.writeStringField("id", event.id().hex());
    writeBody(out, event.unsigned());
    out.writeStringField("sig", event.sig().hex());
    out.writeEndObject();
  }

  public static void write(JsonGenerator out, Rumor rumor) throws IOException {
    out.writeStartObject();
    out.writeStringField("id", rumor.id().hex());
    writeBody(out, rumor.event());
    out.writeEndObject();
  }

  private static void writeBody(JsonGenerator out, UnsignedEvent event) throws IOException {
    out.writeStringField("pubkey", event.pubkey().hex());
    out.writeNumberField("created_at", event.createdAt());
    out.writeNumberField("kind", event.kind());
    out.writeArrayFieldStart("tags");
    for (Tag tag : event.tags().list()) {
      out.writeStartArray();
      for (String value : tag.values()) {
        out.writeString(value);
      }
      out.writeEndArray();
    }
    out.writeEndArray();
    out.writeStringField("content", event.content());
  }

  /** Something that writes JSON through a generator. */
  @FunctionalInterface
  public interface JsonWriter {
    void writeTo(JsonGenerator generator) throws IOException;
  }

  /** Runs a writer into a UTF-8 string. */
  public static String write(JsonWriter writer) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
    try (JsonGenerator generator = FACTORY.createGenerator(buffer)) {
      writer.writeTo(generator);
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to memory failed", e);
    }
    return buffer.toString(StandardCharsets.UTF_8);
  }
}
