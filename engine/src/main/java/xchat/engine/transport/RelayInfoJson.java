package xchat.engine.transport;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import xchat.protocol.event.EventJson;

/**
 * Reads a NIP-11 document. A relay is a stranger: a field of the wrong type or out of range is
 * treated as absent rather than failing the whole document; only a document that is not a JSON
 * object fails.
 */
public final class RelayInfoJson {
  /** Larger documents are refused before parsing. */
  public static final int MAX_DOCUMENT_BYTES = 64 * 1024;

  private RelayInfoJson() {}

  public static RelayInfo parse(String json) throws RelayInfoParseException {
    if (json.length() > MAX_DOCUMENT_BYTES) {
      throw new RelayInfoParseException("document larger than " + MAX_DOCUMENT_BYTES + " bytes");
    }
    try (JsonParser in = EventJson.FACTORY.createParser(json)) {
      if (in.nextToken() != JsonToken.START_OBJECT) {
        throw new RelayInfoParseException("document is not a JSON object");
      }
      Set<Integer> nips = new TreeSet<>();
      Limitation limitation = new Limitation();
      while (in.nextToken() == JsonToken.FIELD_NAME) {
        String field = in.currentName();
        JsonToken value = in.nextToken();
        if ("supported_nips".equals(field) && value == JsonToken.START_ARRAY) {
          while (in.nextToken() != JsonToken.END_ARRAY) {
            if (in.currentToken() == JsonToken.VALUE_NUMBER_INT && in.getNumberType() == JsonParser.NumberType.INT) {
              nips.add(in.getIntValue());
            } else {
              in.skipChildren();
            }
          }
        } else if ("limitation".equals(field) && value == JsonToken.START_OBJECT) {
          readLimitation(in, limitation);
        } else {
          in.skipChildren();
        }
      }
      return new RelayInfo(nips, limitation.maxMessageLength, limitation.maxSubscriptions,
          limitation.maxLimit, limitation.authRequired, limitation.createdAtLowerLimit);
    } catch (IOException e) {
      throw new RelayInfoParseException("malformed JSON: " + e.getClass().getSimpleName());
    }
  }

  private static final class Limitation {
    OptionalInt maxMessageLength = OptionalInt.empty();
    OptionalInt maxSubscriptions = OptionalInt.empty();
    OptionalInt maxLimit = OptionalInt.empty();
    boolean authRequired;
    OptionalLong createdAtLowerLimit = OptionalLong.empty();
  }

  private static void readLimitation(JsonParser in, Limitation out) throws IOException {
    while (in.nextToken() == JsonToken.FIELD_NAME) {
      String field = in.currentName();
      JsonToken value = in.nextToken();
      switch (field) {
        case "max_message_length" -> out.maxMessageLength = positiveInt(in, value);
        case "max_subscriptions" -> out.maxSubscriptions = positiveInt(in, value);
        case "max_limit" -> out.maxLimit = positiveInt(in, value);
        case "auth_required" -> out.authRequired = value == JsonToken.VALUE_TRUE;
        case "created_at_lower_limit" -> out.createdAtLowerLimit = nonNegativeLong(in, value);
        default -> in.skipChildren();
      }
    }
  }

  private static OptionalInt positiveInt(JsonParser in, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_NUMBER_INT && in.getNumberType() == JsonParser.NumberType.INT
        && in.getIntValue() > 0) {
      return OptionalInt.of(in.getIntValue());
    }
    in.skipChildren();
    return OptionalInt.empty();
  }

  private static OptionalLong nonNegativeLong(JsonParser in, JsonToken value) throws IOException {
    if (value == JsonToken.VALUE_NUMBER_INT && in.getNumberType() != JsonParser.NumberType.BIG_INTEGER
        && in.getLongValue() >= 0) {
      return OptionalLong.of(in.getLongValue());
    }
    in.skipChildren();
    return OptionalLong.empty();
  }
}
