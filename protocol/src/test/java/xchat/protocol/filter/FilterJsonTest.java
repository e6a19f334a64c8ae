package xchat.protocol.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import xchat.protocol.event.EventId;
import xchat.protocol.filter.FilterParseException.Reason;
import xchat.protocol.keys.PublicKey;

class FilterJsonTest {
  static final String ID = "5c83da77af1dec6d7289834998ad7aafbd9e2191396d75ec3cc27f5a77226f36";
  static final String KEY = "f7234bd4c1394dda46d09f35bd384dd30cc552ad5541990f98844fb06676e9ca";

  @Test
  void writesEveryFieldInCanonicalOrderAndReadsItBack() throws Exception {
    Filter filter = Filter.builder().limit(10).until(2000).since(1000).tag('t', "b", "a")
        .tag('p', KEY).kinds(1059, 14).authors(PublicKey.fromHex(KEY)).ids(EventId.fromHex(ID))
        .build();
    String json = FilterJson.toJson(filter);
    assertEquals("{\"ids\":[\"" + ID + "\"],\"authors\":[\"" + KEY + "\"],\"kinds\":[14,1059],"
        + "\"#p\":[\"" + KEY + "\"],\"#t\":[\"a\",\"b\"],\"since\":1000,\"until\":2000,\"limit\":10}",
        json);
    assertEquals(filter, FilterJson.parse(json, FilterLimits.DEFAULT));
  }

  @Test
  void theEmptyObjectIsTheMatchAllFilter() throws Exception {
    assertEquals(Filter.ALL, FilterJson.parse("{}", FilterLimits.DEFAULT));
    assertEquals("{}", FilterJson.toJson(Filter.ALL));
  }

  @Test
  void readsTagValuesVerbatimIncludingUnicodeAndEscapes() throws Exception {
    Filter filter = FilterJson.parse("{\"#d\":[\"caf\u00e9 \\\"x\\\" \\u2603\"]}", FilterLimits.DEFAULT);
    assertEquals("caf\u00e9 \"x\" \u2603", filter.tags().get('d').iterator().next());
    assertEquals(filter, FilterJson.parse(FilterJson.toJson(filter), FilterLimits.DEFAULT));
  }

  @Test
  void duplicateValuesCollapseButCountAgainstTheLimit() throws Exception {
    Filter filter = FilterJson.parse("{\"kinds\":[1,1,1]}", new FilterLimits(3));
    assertEquals(1, filter.kinds().get().size());
    assertReason(Reason.TOO_MANY_VALUES, "{\"kinds\":[1,1,1,1]}", new FilterLimits(3));
  }

  static Stream<Arguments> hostile() {
    String hex = "\"" + ID + "\"";
    return Stream.of(
        Arguments.of(Reason.NOT_AN_OBJECT, "[]"),
        Arguments.of(Reason.NOT_AN_OBJECT, "\"ids\""),
        Arguments.of(Reason.MALFORMED_JSON, "{\"ids\":[" + hex + "]"),
        Arguments.of(Reason.MALFORMED_JSON, "{} {}"),
        Arguments.of(Reason.MALFORMED_JSON, "{'kinds':[1]}"),
        Arguments.of(Reason.UNKNOWN_FIELD, "{\"foo\":1}"),
        Arguments.of(Reason.UNKNOWN_FIELD, "{\"#\":[\"x\"]}"),
        Arguments.of(Reason.UNKNOWN_FIELD, "{\"#ab\":[\"x\"]}"),
        Arguments.of(Reason.UNKNOWN_FIELD, "{\"#1\":[\"x\"]}"),
        Arguments.of(Reason.UNKNOWN_FIELD, "{\"#\u00e9\":[\"x\"]}"),
        Arguments.of(Reason.UNKNOWN_FIELD, "{\"IDS\":[" + hex + "]}"),
        Arguments.of(Reason.UNSUPPORTED_FIELD, "{\"search\":\"best nostr apps\"}"),
        Arguments.of(Reason.DUPLICATE_FIELD, "{\"kinds\":[1],\"kinds\":[2]}"),
        Arguments.of(Reason.DUPLICATE_FIELD, "{\"#t\":[\"a\"],\"#t\":[\"b\"]}"),
        Arguments.of(Reason.WRONG_TYPE, "{\"ids\":" + hex + "}"),
        Arguments.of(Reason.WRONG_TYPE, "{\"ids\":[1]}"),
        Arguments.of(Reason.WRONG_TYPE, "{\"ids\":null}"),
        Arguments.of(Reason.WRONG_TYPE, "{\"kinds\":[\"1\"]}"),
        Arguments.of(Reason.WRONG_TYPE, "{\"kinds\":[1.0]}"),
        Arguments.of(Reason.WRONG_TYPE, "{\"#t\":[[\"a\"]]}"),
        Arguments.of(Reason.WRONG_TYPE, "{\"since\":\"1000\"}"),
        Arguments.of(Reason.WRONG_TYPE, "{\"until\":1.5}"),
        Arguments.of(Reason.WRONG_TYPE, "{\"limit\":true}"),
        Arguments.of(Reason.EMPTY_LIST, "{\"ids\":[]}"),
        Arguments.of(Reason.EMPTY_LIST, "{\"authors\":[]}"),
        Arguments.of(Reason.EMPTY_LIST, "{\"kinds\":[]}"),
        Arguments.of(Reason.EMPTY_LIST, "{\"#p\":[]}"),
        Arguments.of(Reason.BAD_HEX, "{\"ids\":[\"" + ID.toUpperCase() + "\"]}"),
        Arguments.of(Reason.BAD_HEX, "{\"ids\":[\"5c83da77\"]}"),
        Arguments.of(Reason.BAD_HEX, "{\"authors\":[\"" + KEY + "00\"]}"),
        Arguments.of(Reason.BAD_HEX, "{\"#e\":[\"not-an-id\"]}"),
        Arguments.of(Reason.BAD_HEX, "{\"#p\":[\"npub1xyz\"]}"),
        Arguments.of(Reason.BAD_KIND, "{\"kinds\":[65536]}"),
        Arguments.of(Reason.BAD_KIND, "{\"kinds\":[-1]}"),
        Arguments.of(Reason.BAD_KIND, "{\"kinds\":[4294967296]}"),
        Arguments.of(Reason.BAD_NUMBER, "{\"since\":-1}"),
        Arguments.of(Reason.BAD_NUMBER, "{\"until\":99999999999999999999}"),
        Arguments.of(Reason.BAD_NUMBER, "{\"limit\":2147483648}"),
        Arguments.of(Reason.BAD_NUMBER, "{\"limit\":-5}"),
        Arguments.of(Reason.INVALID_UNICODE, "{\"#t\":[\"\\ud800\"]}"),
        Arguments.of(Reason.TOO_DEEP, "{\"since\":1" + "0".repeat(40) + "}"));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("hostile")
  void refusesHostileFiltersWithTheirReason(Reason reason, String json) {
    assertReason(reason, json, FilterLimits.DEFAULT);
  }

  @Test
  void refusesMoreValuesThanTheLimitInEveryListField() {
    FilterLimits two = new FilterLimits(2);
    String three = "\"" + ID + "\",\"" + KEY + "\",\"" + "00".repeat(32) + "\"";
    assertReason(Reason.TOO_MANY_VALUES, "{\"ids\":[" + three + "]}", two);
    assertReason(Reason.TOO_MANY_VALUES, "{\"authors\":[" + three + "]}", two);
    assertReason(Reason.TOO_MANY_VALUES, "{\"kinds\":[1,2,3]}", two);
    assertReason(Reason.TOO_MANY_VALUES, "{\"#t\":[\"a\",\"b\",\"c\"]}", two);
  }

  @Test
  void neverEchoesTheRejectedInput() {
    FilterParseException e = assertThrows(FilterParseException.class,
        () -> FilterJson.parse("{\"secret-key-material\":1}", FilterLimits.DEFAULT));
    assertFalse(e.getMessage().contains("secret"), e.getMessage());
    e = assertThrows(FilterParseException.class,
        () -> FilterJson.parse("{\"#e\":[\"secret-value\"]}", FilterLimits.DEFAULT));
    assertFalse(e.getMessage().contains("secret"), e.getMessage());
  }

  static void assertReason(Reason reason, String json, FilterLimits limits) {
    FilterParseException e =
        assertThrows(FilterParseException.class, () -> FilterJson.parse(json, limits), json);
    assertEquals(reason, e.reason(), e.getMessage());
  }
}
