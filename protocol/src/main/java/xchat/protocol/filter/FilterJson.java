package xchat.protocol.filter;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import xchat.protocol.event.EventId;
import xchat.protocol.event.EventJson;
import xchat.protocol.filter.FilterParseException.Reason;
import xchat.protocol.hex.Hex;
import xchat.protocol.keys.PublicKey;

/** Strict streaming reader and writer for NIP-01 filters. */
public final class FilterJson {
  private FilterJson() {}

  /** Parses one filter object on its own (for tests and configuration). */
  public static Filter parse(String json, FilterLimits limits) throws FilterParseException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    try (JsonParser parser = EventJson.FACTORY.createParser(bytes)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new FilterParseException(Reason.NOT_AN_OBJECT, "a filter is a JSON object");
      }
      Filter filter = read(parser, limits);
      if (parser.nextToken() != null) {
        throw new FilterParseException(Reason.MALFORMED_JSON, "trailing data after the filter");
      }
      return filter;
    } catch (StreamConstraintsException e) {
      throw new FilterParseException(Reason.TOO_DEEP, "nesting or number length limit exceeded");
    } catch (JsonParseException e) {
      boolean utf8 = String.valueOf(e.getOriginalMessage()).contains("UTF-8");
      throw new FilterParseException(
          utf8 ? Reason.INVALID_UTF8 : Reason.MALFORMED_JSON, "not valid JSON");
    } catch (IOException e) {
      throw new FilterParseException(Reason.MALFORMED_JSON, "not valid JSON");
    }
  }

  /**
   * Reads one filter from a parser positioned on its START_OBJECT and leaves it on the matching
   * END_OBJECT. Jackson failures surface as {@link IOException} for the caller to translate.
   */
  public static Filter read(JsonParser parser, FilterLimits limits)
      throws IOException, FilterParseException {
    if (parser.currentToken() != JsonToken.START_OBJECT) {
      throw new FilterParseException(Reason.NOT_AN_OBJECT, "a filter is a JSON object");
    }
    Set<String> seen = new HashSet<>();
    Optional<Set<EventId>> ids = Optional.empty();
    Optional<Set<PublicKey>> authors = Optional.empty();
    Optional<Set<Integer>> kinds = Optional.empty();
    Map<Character, Set<String>> tags = new TreeMap<>();
    OptionalLong since = OptionalLong.empty();
    OptionalLong until = OptionalLong.empty();
    OptionalInt limit = OptionalInt.empty();
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_OBJECT) {
      if (token != JsonToken.FIELD_NAME) {
        throw new FilterParseException(Reason.MALFORMED_JSON, "expected a field name");
      }
      String name = parser.currentName();
      if (!isKnown(name)) {
        // The key itself is client input: it is not echoed.
        throw name.equals("search")
            ? new FilterParseException(Reason.UNSUPPORTED_FIELD, "NIP-50 search is not supported")
            : new FilterParseException(Reason.UNKNOWN_FIELD, "a key is not defined by NIP-01");
      }
      if (!seen.add(name)) {
        throw new FilterParseException(Reason.DUPLICATE_FIELD, name + " appears twice");
      }
      parser.nextToken();
      switch (name) {
        case "ids" -> ids = Optional.of(readIds(parser, limits));
        case "authors" -> authors = Optional.of(readAuthors(parser, limits));
        case "kinds" -> kinds = Optional.of(readKinds(parser, limits));
        case "since" -> since = OptionalLong.of(readNonNegative(parser, "since", Long.MAX_VALUE));
        case "until" -> until = OptionalLong.of(readNonNegative(parser, "until", Long.MAX_VALUE));
        case "limit" ->
            limit = OptionalInt.of((int) readNonNegative(parser, "limit", Integer.MAX_VALUE));
        default -> tags.put(name.charAt(1), readTagValues(parser, name, limits));
      }
    }
    return new Filter(ids, authors, kinds, tags, since, until, limit);
  }

  private static boolean isKnown(String name) {
    return switch (name) {
      case "ids", "authors", "kinds", "since", "until", "limit" -> true;
      default -> name.length() == 2 && name.charAt(0) == '#' && Filter.isTagLetter(name.charAt(1));
    };
  }

  private static Set<EventId> readIds(JsonParser parser, FilterLimits limits)
      throws IOException, FilterParseException {
    Set<EventId> out = new LinkedHashSet<>();
    for (String hex : readStrings(parser, "ids", limits)) {
      out.add(EventId.fromHex(requireHex(hex, "ids")));
    }
    return out;
  }

  private static Set<PublicKey> readAuthors(JsonParser parser, FilterLimits limits)
      throws IOException, FilterParseException {
    Set<PublicKey> out = new LinkedHashSet<>();
    for (String hex : readStrings(parser, "authors", limits)) {
      out.add(PublicKey.fromHex(requireHex(hex, "authors")));
    }
    return out;
  }

  private static Set<String> readTagValues(JsonParser parser, String name, FilterLimits limits)
      throws IOException, FilterParseException {
    Set<String> values = readStrings(parser, name, limits);
    char letter = name.charAt(1);
    for (String value : values) {
      if (letter == 'e' || letter == 'p') {
        requireHex(value, name);
      }
      if (Filter.hasUnpairedSurrogate(value)) {
        throw new FilterParseException(Reason.INVALID_UNICODE, name + " has an unpaired surrogate");
      }
    }
    return values;
  }

  private static Set<Integer> readKinds(JsonParser parser, FilterLimits limits)
      throws IOException, FilterParseException {
    requireArray(parser, "kinds");
    Set<Integer> out = new LinkedHashSet<>();
    int count = 0;
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
      countValue(++count, "kinds", limits);
      if (token != JsonToken.VALUE_NUMBER_INT) {
        throw new FilterParseException(Reason.WRONG_TYPE, "kinds must hold integers");
      }
      if (parser.getNumberType() != JsonParser.NumberType.INT
          || parser.getIntValue() < 0 || parser.getIntValue() > 65535) {
        throw new FilterParseException(Reason.BAD_KIND, "kinds must be in 0..65535");
      }
      out.add(parser.getIntValue());
    }
    requireNonEmpty(count, "kinds");
    return out;
  }

  private static Set<String> readStrings(JsonParser parser, String field, FilterLimits limits)
      throws IOException, FilterParseException {
    requireArray(parser, field);
    Set<String> out = new LinkedHashSet<>();
    int count = 0;
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
      countValue(++count, field, limits);
      if (token != JsonToken.VALUE_STRING) {
        throw new FilterParseException(Reason.WRONG_TYPE, field + " must hold strings");
      }
      out.add(parser.getText());
    }
    requireNonEmpty(count, field);
    return out;
  }

  private static long readNonNegative(JsonParser parser, String field, long max)
      throws IOException, FilterParseException {
    if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT) {
      throw new FilterParseException(Reason.WRONG_TYPE, field + " must be an integer");
    }
    if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      throw new FilterParseException(Reason.BAD_NUMBER, field + " is out of range");
    }
    long value = parser.getLongValue();
    if (value < 0 || value > max) {
      throw new FilterParseException(Reason.BAD_NUMBER, field + " is out of range");
    }
    return value;
  }

  private static String requireHex(String value, String field) throws FilterParseException {
    if (!Hex.isLowerHex(value, 32)) {
      throw new FilterParseException(
          Reason.BAD_HEX, field + " values must be 64 lower-case hex characters");
    }
    return value;
  }

  private static void requireArray(JsonParser parser, String field) throws FilterParseException {
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      throw new FilterParseException(Reason.WRONG_TYPE, field + " must be an array");
    }
  }

  private static void countValue(int count, String field, FilterLimits limits)
      throws FilterParseException {
    if (count > limits.maxValuesPerField()) {
      throw new FilterParseException(
          Reason.TOO_MANY_VALUES, field + " has more than " + limits.maxValuesPerField());
    }
  }

  // NIP-01: list attributes are "JSON arrays with one or more values".
  private static void requireNonEmpty(int count, String field) throws FilterParseException {
    if (count == 0) {
      throw new FilterParseException(Reason.EMPTY_LIST, field + " must not be empty");
    }
  }

  // ---- writing ----

  public static String toJson(Filter filter) {
    return EventJson.write(generator -> write(generator, filter));
  }

  public static void write(JsonGenerator out, Filter filter) throws IOException {
    out.writeStartObject();
    if (filter.ids().isPresent()) {
      out.writeArrayFieldStart("ids");
      for (EventId id : filter.ids().get()) {
        out.writeString(id.hex());
      }
      out.writeEndArray();
    }
    if (filter.authors().isPresent()) {
      out.writeArrayFieldStart("authors");
      for (PublicKey author : filter.authors().get()) {
        out.writeString(author.hex());
      }
      out.writeEndArray();
    }
    if (filter.kinds().isPresent()) {
      out.writeArrayFieldStart("kinds");
      for (int kind : filter.kinds().get()) {
        out.writeNumber(kind);
      }
      out.writeEndArray();
    }
    for (Map.Entry<Character, Set<String>> entry : filter.tags().entrySet()) {
      out.writeArrayFieldStart("#" + entry.getKey());
      for (String value : entry.getValue()) {
        out.writeString(value);
      }
      out.writeEndArray();
    }
    if (filter.since().isPresent()) {
      out.writeNumberField("since", filter.since().getAsLong());
    }
    if (filter.until().isPresent()) {
      out.writeNumberField("until", filter.until().getAsLong());
    }
    if (filter.limit().isPresent()) {
      out.writeNumberField("limit", filter.limit().getAsInt());
    }
    out.writeEndObject();
  }
}
