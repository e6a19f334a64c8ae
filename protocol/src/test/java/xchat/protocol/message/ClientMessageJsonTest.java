package xchat.protocol.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import xchat.protocol.event.EventJson;
import xchat.protocol.event.EventParseException;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.ParseLimits;
import xchat.protocol.event.Tag;
import xchat.protocol.filter.Filter;
import xchat.protocol.filter.FilterLimits;
import xchat.protocol.filter.FilterParseException;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.message.ClientMessage.Auth;
import xchat.protocol.message.ClientMessage.Close;
import xchat.protocol.message.ClientMessage.Count;
import xchat.protocol.message.ClientMessage.EventMessage;
import xchat.protocol.message.ClientMessage.NegClose;
import xchat.protocol.message.ClientMessage.NegMsg;
import xchat.protocol.message.ClientMessage.NegOpen;
import xchat.protocol.message.ClientMessage.Req;
import xchat.protocol.message.MessageParseException.Reason;

class ClientMessageJsonTest {
  static final KeyPair ALICE = TestEvents.keys("alice");
  static final NostrEvent NOTE =
      TestEvents.event(ALICE, 1700000000, 1, "line\n\"quoted\" caf\u00e9 \uD83D\uDE00",
          Tag.of("t", "chat"));
  static final NostrEvent AUTH =
      TestEvents.event(ALICE, 1700000000, 22242, "",
          Tag.of("relay", "wss://relay.example/"), Tag.of("challenge", "c1"));
  static final String NOTE_JSON = EventJson.toJson(NOTE);
  static final Filter WRAPS =
      Filter.builder().kinds(1059).tag('p', ALICE.publicKey().hex()).since(1000).limit(50).build();

  static Stream<ClientMessage> everyType() {
    return Stream.of(
        new EventMessage(NOTE),
        new Req("sub-1", List.of(WRAPS)),
        new Req("sub-2", List.of(WRAPS, Filter.ALL, Filter.builder().ids(NOTE.id()).build())),
        new Close("sub-1"),
        new Auth(AUTH),
        new Count("count-1", List.of(WRAPS, Filter.ALL)),
        new NegOpen("neg-1", WRAPS, "6100000200"),
        new NegMsg("neg-1", "61"),
        new NegClose("neg-1"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyType")
  void everyMessageTypeRoundTrips(ClientMessage message) throws Exception {
    String json = message.toJson();
    assertEquals(message, ClientMessageJson.parse(json));
    byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
    assertEquals(message, ClientMessageJson.parse(utf8, MessageLimits.DEFAULT));
    assertEquals(json, ClientMessageJson.write(ClientMessageJson.parse(json)));
  }

  @Test
  void writesTheNip01WireShapes() {
    assertEquals("[\"EVENT\"," + NOTE_JSON + "]", new EventMessage(NOTE).toJson());
    assertEquals("[\"REQ\",\"s\",{\"kinds\":[1]},{}]",
        new Req("s", List.of(Filter.builder().kinds(1).build(), Filter.ALL)).toJson());
    assertEquals("[\"CLOSE\",\"s\"]", new Close("s").toJson());
    assertEquals("[\"COUNT\",\"s\",{}]", new Count("s", List.of(Filter.ALL)).toJson());
    assertEquals("[\"NEG-OPEN\",\"n\",{},\"61\"]", new NegOpen("n", Filter.ALL, "61").toJson());
    assertEquals("[\"NEG-MSG\",\"n\",\"6100\"]", new NegMsg("n", "6100").toJson());
    assertEquals("[\"NEG-CLOSE\",\"n\"]", new NegClose("n").toJson());
  }

  @Test
  void readsFramesWrittenByOthersWithWhitespaceAndAnyFieldOrder() throws Exception {
    String frame = " [ \"REQ\" , \"sub\" ,\n { \"limit\" : 2 , \"kinds\" : [ 1 ] } ] ";
    assertEquals(new Req("sub", List.of(Filter.builder().kinds(1).limit(2).build())),
        ClientMessageJson.parse(frame));
  }

  @Test
  void acceptsSubscriptionIdsUpTo64CodePoints() throws Exception {
    String emoji = "\uD83D\uDE00".repeat(64); // 128 UTF-16 units, 64 characters
    assertEquals(new Close(emoji), ClientMessageJson.parse(new Close(emoji).toJson()));
    assertEquals(new Close("x".repeat(64)), ClientMessageJson.parse("[\"CLOSE\",\"" + "x".repeat(64) + "\"]"));
  }

  static Stream<Arguments> hostile() {
    String sub = "\"s\"";
    String filter = "{\"kinds\":[1]}";
    return Stream.of(
        bad(Reason.MALFORMED_JSON, "[\"CLOSE\"," + sub),
        bad(Reason.MALFORMED_JSON, "[\"CLOSE\"," + sub + "] []"),
        bad(Reason.MALFORMED_JSON, "[\"CLOSE\"," + sub + "]]"),
        bad(Reason.MALFORMED_JSON, "[\"CLOSE\" " + sub + "]"),
        bad(Reason.MALFORMED_JSON, "[\"EVENT\"," + NOTE_JSON.substring(0, 40)),
        bad(Reason.NOT_AN_ARRAY, ""),
        bad(Reason.NOT_AN_ARRAY, "{\"EVENT\":1}"),
        bad(Reason.NOT_AN_ARRAY, "\"CLOSE\""),
        bad(Reason.UNKNOWN_TYPE, "[\"PUBLISH\"," + sub + "]"),
        bad(Reason.UNKNOWN_TYPE, "[\"close\"," + sub + "]"),
        bad(Reason.UNKNOWN_TYPE, "[\"EOSE\"," + sub + "]"),
        bad(Reason.UNKNOWN_TYPE, "[\"NEG-ERR\"," + sub + ",\"x\"]"),
        bad(Reason.WRONG_TYPE, "[1," + sub + "]"),
        bad(Reason.WRONG_TYPE, "[[\"CLOSE\"]," + sub + "]"),
        bad(Reason.WRONG_TYPE, "[\"EVENT\",\"" + NOTE.id().hex() + "\"]"),
        bad(Reason.WRONG_TYPE, "[\"AUTH\",\"challenge\"]"),
        bad(Reason.WRONG_TYPE, "[\"REQ\"," + sub + ",\"" + filter + "\"]"),
        bad(Reason.WRONG_TYPE, "[\"REQ\"," + sub + "," + filter + ",[" + filter + "]]"),
        bad(Reason.WRONG_TYPE, "[\"NEG-OPEN\"," + sub + ",[],\"61\"]"),
        bad(Reason.WRONG_TYPE, "[\"NEG-MSG\"," + sub + ",97]"),
        bad(Reason.BAD_ARITY, "[]"),
        bad(Reason.BAD_ARITY, "[\"EVENT\"]"),
        bad(Reason.BAD_ARITY, "[\"EVENT\"," + NOTE_JSON + "," + NOTE_JSON + "]"),
        bad(Reason.BAD_ARITY, "[\"REQ\"," + sub + "]"),
        bad(Reason.BAD_ARITY, "[\"COUNT\"," + sub + "]"),
        bad(Reason.BAD_ARITY, "[\"CLOSE\"]"),
        bad(Reason.BAD_ARITY, "[\"CLOSE\"," + sub + "," + sub + "]"),
        bad(Reason.BAD_ARITY, "[\"NEG-OPEN\"," + sub + "," + filter + "]"),
        bad(Reason.BAD_ARITY, "[\"NEG-OPEN\"," + sub + "," + filter + ",\"61\",\"61\"]"),
        bad(Reason.BAD_ARITY, "[\"NEG-CLOSE\"," + sub + ",\"61\"]"),
        bad(Reason.BAD_SUBSCRIPTION_ID, "[\"CLOSE\",\"\"]"),
        bad(Reason.BAD_SUBSCRIPTION_ID, "[\"CLOSE\",\"" + "x".repeat(65) + "\"]"),
        bad(Reason.BAD_SUBSCRIPTION_ID, "[\"CLOSE\",7]"),
        bad(Reason.BAD_SUBSCRIPTION_ID, "[\"CLOSE\",null]"),
        bad(Reason.BAD_SUBSCRIPTION_ID, "[\"CLOSE\",\"\\ud800x\"]"),
        bad(Reason.BAD_SUBSCRIPTION_ID, "[\"REQ\",\"" + "x".repeat(65) + "\"," + filter + "]"),
        bad(Reason.BAD_SUBSCRIPTION_ID, "[\"NEG-OPEN\",\"\"," + filter + ",\"61\"]"),
        bad(Reason.BAD_HEX, "[\"NEG-OPEN\"," + sub + "," + filter + ",\"\"]"),
        bad(Reason.BAD_HEX, "[\"NEG-OPEN\"," + sub + "," + filter + ",\"6\"]"),
        bad(Reason.BAD_HEX, "[\"NEG-OPEN\"," + sub + "," + filter + ",\"6A\"]"),
        bad(Reason.BAD_HEX, "[\"NEG-MSG\"," + sub + ",\"zz\"]"),
        bad(Reason.TOO_DEEP,
            "[\"EVENT\"," + NOTE_JSON.replace("{\"id\"", "{\"x\":" + "[".repeat(40) + "]".repeat(40) + ",\"id\"") + "]"),
        bad(Reason.TOO_DEEP, "[\"REQ\"," + sub + ",{\"since\":1" + "0".repeat(40) + "}]"));
  }

  static Arguments bad(Reason reason, String frame) {
    return Arguments.of(reason, frame);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("hostile")
  void refusesHostileFramesWithTheirReason(Reason reason, String frame) {
    assertEquals(reason, refusal(frame, MessageLimits.DEFAULT).reason(), frame);
  }

  @Test
  void refusesInvalidUtf8() {
    byte[] frame = "[\"CLOSE\",\"s\u00e9\"]".getBytes(StandardCharsets.UTF_8);
    frame[frame.length - 4] = (byte) 0xff;
    MessageParseException e = assertThrows(MessageParseException.class,
        () -> ClientMessageJson.parse(frame, MessageLimits.DEFAULT));
    assertEquals(Reason.INVALID_UTF8, e.reason(), e.getMessage());
  }

  @Test
  void refusesFramesOverTheByteLimitBeforeParsing() throws Exception {
    MessageLimits small = new MessageLimits(20, 16, FilterLimits.DEFAULT, ParseLimits.DEFAULT);
    String fits = "[\"CLOSE\",\"" + "x".repeat(8) + "\"]"; // 20 bytes
    assertEquals(new Close("x".repeat(8)), ClientMessageJson.parse(fits, small));
    assertEquals(Reason.TOO_LARGE, refusal("[\"CLOSE\",\"" + "x".repeat(9) + "\"]", small).reason());
    // 17 UTF-16 units but 22 UTF-8 bytes: the limit is in bytes.
    assertEquals(Reason.TOO_LARGE, refusal("[\"CLOSE\",\"\u00e9\u00e9\u00e9\u00e9\u00e9\"]", small).reason());
    assertEquals(Reason.TOO_LARGE, refusal("[\"CLOSE\",\"" + "x".repeat(10) + "\"]"
        .getBytes(StandardCharsets.UTF_8), small).reason());
  }

  @Test
  void refusesMoreFiltersThanTheLimitAndNamesTheSubscription() {
    MessageLimits two = new MessageLimits(1 << 16, 2, FilterLimits.DEFAULT, ParseLimits.DEFAULT);
    MessageParseException e = refusal("[\"REQ\",\"sub-9\",{},{},{}]", two);
    assertEquals(Reason.TOO_MANY_FILTERS, e.reason());
    assertEquals(Optional.of("sub-9"), e.subscriptionId());
    assertEquals(Optional.of("REQ"), e.messageType());
    assertEquals(Reason.TOO_MANY_FILTERS, refusal("[\"COUNT\",\"c\",{},{},{}]", two).reason());
  }

  @Test
  void reportsWhyAFilterWasRefusedAndForWhichSubscription() {
    MessageParseException e = refusal("[\"REQ\",\"sub-9\",{},{\"search\":\"x\"}]", MessageLimits.DEFAULT);
    assertEquals(Reason.BAD_FILTER, e.reason());
    assertEquals(Optional.of(FilterParseException.Reason.UNSUPPORTED_FIELD), e.filterReason());
    assertEquals(Optional.of("sub-9"), e.subscriptionId());
    assertEquals(Optional.empty(), e.eventReason());
    MessageLimits oneValue = new MessageLimits(1 << 16, 4, new FilterLimits(1), ParseLimits.DEFAULT);
    e = refusal("[\"NEG-OPEN\",\"n\",{\"kinds\":[1,2]},\"61\"]", oneValue);
    assertEquals(Optional.of(FilterParseException.Reason.TOO_MANY_VALUES), e.filterReason());
  }

  @Test
  void reportsWhyAnEventWasRefused() {
    String forged = NOTE_JSON.replace("\"kind\":1,", "\"kind\":2,");
    MessageParseException e = refusal("[\"EVENT\"," + forged + "]", MessageLimits.DEFAULT);
    assertEquals(Reason.BAD_EVENT, e.reason());
    assertEquals(Optional.of(EventParseException.Reason.ID_MISMATCH), e.eventReason());
    e = refusal("[\"AUTH\"," + NOTE_JSON.replace("\"sig\"", "\"sog\"") + "]", MessageLimits.DEFAULT);
    assertEquals(Optional.of(EventParseException.Reason.MISSING_FIELD), e.eventReason());
    assertEquals(Optional.of("AUTH"), e.messageType());
  }

  @Test
  void neverEchoesTheInputInItsMessage() {
    List<String> frames = List.of(
        "[\"SECRET-TYPE\"]",
        "[\"CLOSE\",\"secret-" + "x".repeat(64) + "\"]",
        "[\"REQ\",\"s\",{\"#e\":[\"secret\"]}]",
        "[\"REQ\",\"s\",{\"secret\":1}]",
        "[\"NEG-MSG\",\"s\",\"secret\"]",
        "[\"EVENT\"," + NOTE_JSON.replace("\"content\":\"", "\"content\":\"secret").replace("\"kind\":1,", "\"kind\":2,") + "]",
        "[\"CLOSE\",\"s\"] secret",
        "[\"CLOSE\",secret]");
    for (String frame : frames) {
      MessageParseException e = refusal(frame, MessageLimits.DEFAULT);
      assertFalse(e.getMessage().toLowerCase().contains("secret"), e.getMessage());
      assertEquals(null, e.getCause(), frame);
    }
  }

  @Test
  void recordsRefuseWhatTheParserRefuses() {
    assertThrows(IllegalArgumentException.class, () -> new Close(""));
    assertThrows(IllegalArgumentException.class, () -> new Req("s", List.of()));
    assertThrows(IllegalArgumentException.class, () -> new Count("x".repeat(65), List.of(Filter.ALL)));
    assertThrows(IllegalArgumentException.class, () -> new NegOpen("n", Filter.ALL, "ABCD"));
    assertThrows(IllegalArgumentException.class, () -> new NegMsg("n", ""));
    assertThrows(IllegalArgumentException.class, () -> new EventMessage(null));
  }

  @Test
  void aReqKeepsItsFiltersInOrder() throws Exception {
    Filter first = Filter.builder().kinds(2).build();
    Filter second = Filter.builder().kinds(1).build();
    Req req = (Req) ClientMessageJson.parse(new Req("s", List.of(first, second)).toJson());
    assertArrayEquals(new Filter[] {first, second}, req.filters().toArray());
  }

  static MessageParseException refusal(String frame, MessageLimits limits) {
    return assertThrows(MessageParseException.class, () -> ClientMessageJson.parse(frame, limits), frame);
  }

  static MessageParseException refusal(byte[] frame, MessageLimits limits) {
    return assertThrows(MessageParseException.class, () -> ClientMessageJson.parse(frame, limits));
  }
}
