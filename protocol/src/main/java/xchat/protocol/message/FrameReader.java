package xchat.protocol.message;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import xchat.protocol.event.EventId;
import xchat.protocol.event.EventJson;
import xchat.protocol.event.EventParseException;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.filter.Filter;
import xchat.protocol.filter.FilterJson;
import xchat.protocol.filter.FilterParseException;
import xchat.protocol.hex.Hex;
import xchat.protocol.message.MessageParseException.Reason;

/**
 * Walks one message array element by element. Every failure becomes a {@link
 * MessageParseException} that names the element, never its value.
 */
final class FrameReader {

  /** Reads the elements after the type; the reader has not consumed anything past the type. */
  @FunctionalInterface
  interface Body<T> {
    T read(FrameReader reader, String type) throws IOException, MessageParseException;
  }

  private final JsonParser parser;
  private final MessageLimits limits;
  private String type;
  private String subscriptionId;
  private boolean arrayClosed;

  private FrameReader(JsonParser parser, MessageLimits limits) {
    this.parser = parser;
    this.limits = limits;
  }

  static byte[] utf8(String frame, MessageLimits limits) throws MessageParseException {
    // UTF-8 never needs fewer bytes than UTF-16 code units: reject before copying.
    if (frame.length() > limits.maxFrameBytes()) {
      throw tooLarge(limits);
    }
    return frame.getBytes(StandardCharsets.UTF_8);
  }

  static <T> T parse(byte[] frame, MessageLimits limits, Body<T> body)
      throws MessageParseException {
    if (frame.length > limits.maxFrameBytes()) {
      throw tooLarge(limits);
    }
    FrameReader reader = null;
    try (JsonParser parser = EventJson.FACTORY.createParser(frame)) {
      reader = new FrameReader(parser, limits);
      if (parser.nextToken() != JsonToken.START_ARRAY) {
        throw new MessageParseException(Reason.NOT_AN_ARRAY, "a message is a JSON array");
      }
      if (reader.next("type") != JsonToken.VALUE_STRING) {
        throw new MessageParseException(Reason.WRONG_TYPE, "the message type must be a string");
      }
      T message = body.read(reader, parser.getText());
      reader.end();
      return message;
    } catch (IOException e) {
      throw translate(e, reader);
    }
  }

  private static MessageParseException tooLarge(MessageLimits limits) {
    return new MessageParseException(
        Reason.TOO_LARGE, "frame exceeds " + limits.maxFrameBytes() + " bytes");
  }

  /** Records the recognised type so later failures can report it. */
  void recognised(String messageType) {
    this.type = messageType;
  }

  MessageParseException fail(Reason reason, String detail) {
    return fail(reason, detail, null, null);
  }

  MessageParseException unknownType() {
    return new MessageParseException(Reason.UNKNOWN_TYPE, "message type is not supported");
  }

  String subscriptionId() throws IOException, MessageParseException {
    if (next("subscription id") != JsonToken.VALUE_STRING) {
      throw fail(Reason.BAD_SUBSCRIPTION_ID, "subscription id must be a string");
    }
    String id = parser.getText();
    if (!SubscriptionIds.isValid(id)) {
      throw fail(Reason.BAD_SUBSCRIPTION_ID, "subscription id must be 1 to 64 characters");
    }
    subscriptionId = id;
    return id;
  }

  String string(String what) throws IOException, MessageParseException {
    if (next(what) != JsonToken.VALUE_STRING) {
      throw fail(Reason.WRONG_TYPE, what + " must be a string");
    }
    String text = parser.getText();
    if (!Text.isEncodable(text)) {
      throw fail(Reason.INVALID_UNICODE, what + " has an unpaired surrogate");
    }
    return text;
  }

  String negentropyHex(String what) throws IOException, MessageParseException {
    if (next(what) != JsonToken.VALUE_STRING) {
      throw fail(Reason.WRONG_TYPE, what + " must be a string");
    }
    String hex = parser.getText();
    if (!Text.isNegentropyHex(hex)) {
      throw fail(Reason.BAD_HEX, what + " must be non-empty lower-case hex");
    }
    return hex;
  }

  EventId eventId() throws IOException, MessageParseException {
    if (next("event id") != JsonToken.VALUE_STRING) {
      throw fail(Reason.WRONG_TYPE, "event id must be a string");
    }
    String hex = parser.getText();
    if (!Hex.isLowerHex(hex, EventId.LENGTH)) {
      throw fail(Reason.BAD_HEX, "event id must be 64 lower-case hex characters");
    }
    return EventId.fromHex(hex);
  }

  boolean bool(String what) throws IOException, MessageParseException {
    JsonToken token = next(what);
    if (token != JsonToken.VALUE_TRUE && token != JsonToken.VALUE_FALSE) {
      throw fail(Reason.WRONG_TYPE, what + " must be true or false");
    }
    return token == JsonToken.VALUE_TRUE;
  }

  NostrEvent event() throws IOException, MessageParseException {
    if (next("event") != JsonToken.START_OBJECT) {
      throw fail(Reason.WRONG_TYPE, "event must be an object");
    }
    try {
      return EventJson.read(parser, limits.event());
    } catch (EventParseException e) {
      throw fail(eventFailure(e.reason()), "event refused: " + e.reason(), e.reason(), null);
    }
  }

  Filter filter() throws IOException, MessageParseException {
    if (next("filter") != JsonToken.START_OBJECT) {
      throw fail(Reason.WRONG_TYPE, "filter must be an object");
    }
    return readFilter();
  }

  /** All remaining elements, as filters: at least one, at most the configured number. */
  List<Filter> filters() throws IOException, MessageParseException {
    List<Filter> filters = new ArrayList<>();
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
      if (token == null) {
        throw fail(Reason.MALFORMED_JSON, "the frame ends inside the message");
      }
      if (filters.size() == limits.maxFiltersPerReq()) {
        throw fail(Reason.TOO_MANY_FILTERS, "more than " + limits.maxFiltersPerReq() + " filters");
      }
      if (token != JsonToken.START_OBJECT) {
        throw fail(Reason.WRONG_TYPE, "filter must be an object");
      }
      filters.add(readFilter());
    }
    arrayClosed = true;
    if (filters.isEmpty()) {
      throw fail(Reason.BAD_ARITY, type + " needs at least one filter");
    }
    return filters;
  }

  /** NIP-45's {@code {"count": n}}. Other members, such as {@code approximate}, are skipped. */
  long countObject() throws IOException, MessageParseException {
    if (next("count") != JsonToken.START_OBJECT) {
      throw fail(Reason.WRONG_TYPE, "count result must be an object");
    }
    Long count = null;
    JsonToken field;
    while ((field = parser.nextToken()) != JsonToken.END_OBJECT) {
      if (field != JsonToken.FIELD_NAME) {
        throw fail(Reason.MALFORMED_JSON, "expected a field name");
      }
      String name = parser.currentName();
      JsonToken value = parser.nextToken();
      if (!"count".equals(name)) {
        parser.skipChildren();
        continue;
      }
      if (count != null) {
        throw fail(Reason.BAD_NUMBER, "count appears twice");
      }
      if (value != JsonToken.VALUE_NUMBER_INT
          || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
          || parser.getLongValue() < 0) {
        throw fail(Reason.BAD_NUMBER, "count must be a non-negative integer");
      }
      count = parser.getLongValue();
    }
    if (count == null) {
      throw fail(Reason.BAD_NUMBER, "count is missing");
    }
    return count;
  }

  private Filter readFilter() throws IOException, MessageParseException {
    try {
      return FilterJson.read(parser, limits.filter());
    } catch (FilterParseException e) {
      throw fail(Reason.BAD_FILTER, "filter refused: " + e.reason(), null, e.reason());
    }
  }

  private JsonToken next(String what) throws IOException, MessageParseException {
    JsonToken token = parser.nextToken();
    if (token == JsonToken.END_ARRAY) {
      throw fail(Reason.BAD_ARITY, (type == null ? "message" : type) + " lacks its " + what);
    }
    if (token == null) {
      throw fail(Reason.MALFORMED_JSON, "the frame ends inside the message");
    }
    return token;
  }

  private void end() throws IOException, MessageParseException {
    JsonToken token = arrayClosed ? JsonToken.END_ARRAY : parser.nextToken();
    if (token == null) {
      throw fail(Reason.MALFORMED_JSON, "the frame ends inside the message");
    }
    if (token != JsonToken.END_ARRAY) {
      throw fail(Reason.BAD_ARITY, type + " has too many elements");
    }
    if (parser.nextToken() != null) {
      throw fail(Reason.MALFORMED_JSON, "trailing data after the message");
    }
  }

  private MessageParseException fail(
      Reason reason,
      String detail,
      EventParseException.Reason eventReason,
      FilterParseException.Reason filterReason) {
    return new MessageParseException(
        reason, detail, type, subscriptionId, eventReason, filterReason);
  }

  // A JSON-level failure inside the event is a failure of the frame, not of the event.
  private static Reason eventFailure(EventParseException.Reason reason) {
    return switch (reason) {
      case MALFORMED_JSON -> Reason.MALFORMED_JSON;
      case INVALID_UTF8 -> Reason.INVALID_UTF8;
      case TOO_DEEP -> Reason.TOO_DEEP;
      default -> Reason.BAD_EVENT;
    };
  }

  // Jackson's messages can quote the offending input: report only the position, and do not chain.
  private static MessageParseException translate(IOException e, FrameReader reader) {
    String where =
        e instanceof JsonProcessingException jpe && jpe.getLocation() != null
            ? " at byte " + jpe.getLocation().getByteOffset()
            : "";
    Reason reason;
    if (e instanceof StreamConstraintsException) {
      reason = Reason.TOO_DEEP;
      where = " (nesting or number length limit)" + where;
    } else if (e instanceof JsonParseException jpe
        && String.valueOf(jpe.getOriginalMessage()).contains("UTF-8")) {
      reason = Reason.INVALID_UTF8;
    } else {
      reason = Reason.MALFORMED_JSON;
    }
    String detail = "not valid JSON" + where;
    return reader == null
        ? new MessageParseException(reason, detail)
        : reader.fail(reason, detail, null, null);
  }
}
