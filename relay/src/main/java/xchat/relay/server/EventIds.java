package xchat.relay.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Optional;
import xchat.protocol.event.EventId;
import xchat.protocol.event.EventJson;
import xchat.protocol.hex.Hex;

/**
 * The claimed id of an EVENT or AUTH frame the parser refused, so the refusal can be an OK false
 * for that id (NIP-01) rather than a NOTICE the client cannot tie to its event.
 */
final class EventIds {
  private EventIds() {}

  static Optional<EventId> of(String frame) {
    try (JsonParser parser = EventJson.FACTORY.createParser(frame)) {
      if (parser.nextToken() != JsonToken.START_ARRAY
          || parser.nextToken() != JsonToken.VALUE_STRING
          || parser.nextToken() != JsonToken.START_OBJECT) {
        return Optional.empty();
      }
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if ("id".equals(name)) {
          if (value == JsonToken.VALUE_STRING && Hex.isLowerHex(parser.getText(), EventId.LENGTH)) {
            return Optional.of(EventId.fromHex(parser.getText()));
          }
          return Optional.empty();
        }
        parser.skipChildren();
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty(); // malformed beyond the id: nothing to tie the refusal to
    }
  }
}
