package xchat.relay.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import xchat.protocol.event.EventJson;
import xchat.protocol.filter.Filter;
import xchat.protocol.filter.FilterJson;
import xchat.protocol.filter.FilterParseException;
import xchat.protocol.message.MessageLimits;
import xchat.protocol.message.SubscriptionIds;

/**
 * Reads REQ and COUNT frames. The protocol module's reader refuses every one of them (its filter
 * loop consumes the closing bracket that its end check then looks for), so until that is fixed
 * the relay reads these two message types itself, with the same limits and filter parser.
 */
final class ReqFrames {
  private ReqFrames() {}

  /** The result of reading one REQ or COUNT frame. */
  sealed interface Parsed {}

  record Read(String type, String subscriptionId, List<Filter> filters) implements Parsed {}

  /**
   * Refused: {@code subscriptionId} is present once it was read, so the refusal can be a CLOSED.
   */
  record Refused(Optional<String> subscriptionId, boolean tooManyFilters, String detail)
      implements Parsed {}

  /** The message type of a frame, if it starts like a message: {@code ["TYPE", ...}. */
  static Optional<String> typeOf(String frame) {
    try (JsonParser parser = EventJson.FACTORY.createParser(frame)) {
      if (parser.nextToken() == JsonToken.START_ARRAY
          && parser.nextToken() == JsonToken.VALUE_STRING) {
        return Optional.of(parser.getText());
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty(); // not JSON at all; the general parser reports it
    }
  }

  static Parsed parse(String frame, MessageLimits limits) {
    if (frame.getBytes(StandardCharsets.UTF_8).length > limits.maxFrameBytes()) {
      return new Refused(Optional.empty(), false, "message too large");
    }
    String subscriptionId = null;
    try (JsonParser parser = EventJson.FACTORY.createParser(frame)) {
      parser.nextToken();
      parser.nextToken();
      String type = parser.getText();
      if (parser.nextToken() != JsonToken.VALUE_STRING
          || !SubscriptionIds.isValid(parser.getText())) {
        return new Refused(Optional.empty(), false,
            type + ": subscription id must be a string of 1 to 64 characters");
      }
      subscriptionId = parser.getText();
      List<Filter> filters = new ArrayList<>();
      JsonToken token;
      while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
        if (token == null) {
          return refused(subscriptionId, "the frame ends inside the message");
        }
        if (filters.size() == limits.maxFiltersPerReq()) {
          return new Refused(Optional.of(subscriptionId), true,
              "more than " + limits.maxFiltersPerReq() + " filters");
        }
        if (token != JsonToken.START_OBJECT) {
          return refused(subscriptionId, "a filter must be an object");
        }
        try {
          filters.add(FilterJson.read(parser, limits.filter()));
        } catch (FilterParseException e) {
          return refused(subscriptionId,
              "malformed filter: " + e.reason().name().toLowerCase().replace('_', ' '));
        }
      }
      if (filters.isEmpty()) {
        return refused(subscriptionId, type + " needs at least one filter");
      }
      if (parser.nextToken() != null) {
        return refused(subscriptionId, "trailing data after the message");
      }
      return new Read(type, subscriptionId, filters);
    } catch (IOException e) {
      // Jackson's message may quote the input; only the kind of failure is reported.
      return refused(subscriptionId, "malformed JSON");
    }
  }

  private static Refused refused(String subscriptionId, String detail) {
    return new Refused(Optional.ofNullable(subscriptionId), false, detail);
  }
}
