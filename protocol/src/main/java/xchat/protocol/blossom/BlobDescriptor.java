package xchat.protocol.blossom;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import xchat.protocol.blossom.BlobDescriptorParseException.Reason;
import xchat.protocol.event.EventJson;

/**
 * A BUD-02 blob descriptor: what a server answers to an upload and lists per pubkey.
 *
 * @param url where the blob can be fetched (BUD-02: the GET endpoint, with a file extension)
 * @param sha256 the blob's hash, lower-case hex
 * @param size bytes
 * @param type MIME type; {@code application/octet-stream} when unknown (BUD-02)
 * @param uploaded unix seconds
 */
public record BlobDescriptor(String url, String sha256, long size, String type, long uploaded) {
  public static final String UNKNOWN_TYPE = "application/octet-stream";

  public BlobDescriptor {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("a blob descriptor needs a URL");
    }
    Sha256Hex.require(sha256, "sha256");
    if (size < 0 || uploaded < 0) {
      throw new IllegalArgumentException("size and uploaded must not be negative");
    }
    type = type == null || type.isBlank() ? UNKNOWN_TYPE : type;
  }

  public String toJson() {
    return EventJson.write(this::write);
  }

  public void write(JsonGenerator out) throws IOException {
    out.writeStartObject();
    out.writeStringField("url", url);
    out.writeStringField("sha256", sha256);
    out.writeNumberField("size", size);
    out.writeStringField("type", type);
    out.writeNumberField("uploaded", uploaded);
    out.writeEndObject();
  }

  public static String toJson(List<BlobDescriptor> descriptors) {
    return EventJson.write(
        out -> {
          out.writeStartArray();
          for (BlobDescriptor descriptor : descriptors) {
            descriptor.write(out);
          }
          out.writeEndArray();
        });
  }

  /**
   * One descriptor object. Unknown fields (BUD-02 allows {@code magnet}, {@code ipfs}...) are
   * skipped.
   */
  public static BlobDescriptor parse(byte[] json) throws BlobDescriptorParseException {
    try (JsonParser parser = EventJson.FACTORY.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new BlobDescriptorParseException(Reason.NOT_AN_OBJECT, "expected a JSON object");
      }
      BlobDescriptor descriptor = read(parser);
      requireEnd(parser);
      return descriptor;
    } catch (IOException e) {
      throw translate(e);
    }
  }

  /** The JSON array {@code GET /list/<pubkey>} answers, at most {@code maxItems} long. */
  public static List<BlobDescriptor> parseList(byte[] json, int maxItems)
      throws BlobDescriptorParseException {
    try (JsonParser parser = EventJson.FACTORY.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_ARRAY) {
        throw new BlobDescriptorParseException(Reason.NOT_AN_ARRAY, "expected a JSON array");
      }
      List<BlobDescriptor> out = new ArrayList<>();
      JsonToken token;
      while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
        if (token != JsonToken.START_OBJECT) {
          throw new BlobDescriptorParseException(
              Reason.NOT_AN_OBJECT, "list items must be objects");
        }
        if (out.size() == maxItems) {
          throw new BlobDescriptorParseException(Reason.TOO_MANY_ITEMS, "more than " + maxItems);
        }
        out.add(read(parser));
      }
      requireEnd(parser);
      return out;
    } catch (IOException e) {
      throw translate(e);
    }
  }

  private static BlobDescriptor read(JsonParser parser)
      throws IOException, BlobDescriptorParseException {
    String url = null;
    String sha256 = null;
    String type = null;
    long size = -1;
    long uploaded = -1;
    long created = -1;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      switch (field) {
        case "url" -> url = string(parser, value, field);
        case "sha256" -> sha256 = string(parser, value, field);
        case "type" -> type = value == JsonToken.VALUE_NULL ? null : string(parser, value, field);
        case "size" -> size = count(parser, value, field);
        case "uploaded" -> uploaded = count(parser, value, field);
        // Early BUD-01 drafts called it "created".
        case "created" -> created = count(parser, value, field);
        default -> parser.skipChildren();
      }
    }
    if (url == null || sha256 == null || size < 0 || (uploaded < 0 && created < 0)) {
      throw new BlobDescriptorParseException(
          Reason.MISSING_FIELD, "url, sha256, size and uploaded are required");
    }
    if (!Sha256Hex.isValid(sha256)) {
      throw new BlobDescriptorParseException(Reason.BAD_HASH, "sha256 is not 64 lower-case hex");
    }
    if (url.isBlank()) {
      throw new BlobDescriptorParseException(Reason.MISSING_FIELD, "url is empty");
    }
    return new BlobDescriptor(url, sha256, size, type, uploaded >= 0 ? uploaded : created);
  }

  private static String string(JsonParser parser, JsonToken token, String field)
      throws IOException, BlobDescriptorParseException {
    if (token != JsonToken.VALUE_STRING) {
      throw new BlobDescriptorParseException(Reason.WRONG_TYPE, field + " must be a string");
    }
    return parser.getText();
  }

  private static long count(JsonParser parser, JsonToken token, String field)
      throws IOException, BlobDescriptorParseException {
    if (token != JsonToken.VALUE_NUMBER_INT
        || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      throw new BlobDescriptorParseException(Reason.WRONG_TYPE, field + " must be an integer");
    }
    long value = parser.getLongValue();
    if (value < 0) {
      throw new BlobDescriptorParseException(Reason.WRONG_TYPE, field + " must not be negative");
    }
    return value;
  }

  private static void requireEnd(JsonParser parser)
      throws IOException, BlobDescriptorParseException {
    if (parser.nextToken() != null) {
      throw new BlobDescriptorParseException(
          Reason.MALFORMED_JSON, "trailing data after the value");
    }
  }

  private static BlobDescriptorParseException translate(IOException e) {
    if (e instanceof StreamConstraintsException) {
      return new BlobDescriptorParseException(Reason.TOO_LARGE, "a JSON limit was exceeded", e);
    }
    return new BlobDescriptorParseException(Reason.MALFORMED_JSON, "not valid JSON", e);
  }
}
