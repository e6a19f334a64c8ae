package xchat.protocol.event;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import xchat.protocol.event.EventParseException.Reason;
import xchat.protocol.keys.PublicKey;
import xchat.protocol.testing.Resources;

class EventJsonTest {

  static String resource(String name) {
    return Resources.text("/nip59/" + name);
  }

  @Test
  void parsesTheNip59ExampleSealAndWrapWithTheirPublishedIds() throws Exception {
    NostrEvent seal = EventJson.parse(resource("example-seal.json"));
    assertEquals("28a87d7c074d94a58e9e89bb3e9e4e813e2189f285d797b1c56069d36f59eaa7", seal.id().hex());
    assertEquals(13, seal.kind());
    NostrEvent wrap = EventJson.parse(resource("example-wrap.json"));
    assertEquals("5c005f3ccf01950aa8d131203248544fb1e41a0d698e846bd419cec3890903ac", wrap.id().hex());
    assertEquals(List.of("166bf3765ebd1fc55decfe395beff2ea3b2a4e0a8946e7eb578512b555737c99"),
        wrap.tags().values("p"));
  }

  @Test
  void parsesTheNip59ExampleRumorAndChecksItsId() throws Exception {
    Rumor rumor = EventJson.parseRumor(resource("example-rumor.json"));
    assertEquals("9dd003c6d3b73b74a85a9ab099469ce251653a7af76f523671ab828acd2a0ef9", rumor.id().hex());
    assertEquals("Are you going to the party tonight?", rumor.event().content());
  }

  @Test
  void writtenEventsParseBackEqual() throws Exception {
    NostrEvent wrap = EventJson.parse(resource("example-wrap.json"));
    assertEquals(wrap, EventJson.parse(EventJson.toJson(wrap)));
    Rumor rumor = EventJson.parseRumor(resource("example-rumor.json"));
    assertEquals(rumor, EventJson.parseRumor(EventJson.toJson(rumor)));
  }

  @Test
  void canonicalFormEscapesExactlyTheSevenNip01Characters() {
    PublicKey key = PublicKey.fromHex("611df01bfcf85c26ae65453b772d8f1dfd25c264621c0277e1fc1518686faef9");
    String content = "a\nb\"c\\d\re\tf\bg\fh\u0001i\u00e9\uD83D\uDE00/";
    byte[] canonical = CanonicalJson.serialize(key, 1, 14, Tags.of(Tag.of("p", "x\ny")), content);
    String expected = "[0,\"" + key.hex() + "\",1,14,[[\"p\",\"x\\ny\"]],"
        + "\"a\\nb\\\"c\\\\d\\re\\tf\\bg\\fh\u0001i\u00e9\uD83D\uDE00/\"]";
    assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), canonical);
  }

  @Test
  void rejectsAnIdThatIsNotTheHashOfTheEvent() {
    String forged = resource("example-seal.json").replace("\"kind\": 13", "\"kind\": 14");
    assertReason(Reason.ID_MISMATCH, forged);
  }

  @Test
  void rejectsUpperCaseAndWrongLengthHex() {
    String seal = resource("example-seal.json");
    assertReason(Reason.BAD_HEX, seal.replace("28a87d7c", "28A87D7C"));
    assertReason(Reason.BAD_HEX, seal.replace("28a87d7c", "28a87d7"));
    assertReason(Reason.BAD_HEX, seal.replace("\"sig\": \"02fc", "\"sig\": \"2fc"));
  }

  @Test
  void rejectsInvalidUtf8Bytes() {
    byte[] json = resource("example-rumor.json").getBytes(StandardCharsets.UTF_8);
    byte[] broken = new String(json, StandardCharsets.UTF_8).replace("party", "p\u00ffrty")
        .getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < broken.length - 1; i++) {
      if (broken[i] == (byte) 0xc3 && broken[i + 1] == (byte) 0xbf) {
        broken[i] = (byte) 0xff; // a byte that never occurs in UTF-8
      }
    }
    EventParseException e = assertThrows(EventParseException.class,
        () -> EventJson.parse(broken, ParseLimits.DEFAULT));
    assertEquals(Reason.INVALID_UTF8, e.reason());
  }

  @Test
  void rejectsUnpairedSurrogateEscapes() {
    String seal = resource("example-seal.json").replace("\"tags\": []", "\"tags\": [[\"x\",\"\\ud800\"]]");
    assertReason(Reason.INVALID_UNICODE, seal);
  }

  @Test
  void rejectsStructuralProblemsWithSpecificReasons() {
    String seal = resource("example-seal.json");
    assertReason(Reason.BAD_NUMBER, seal.replace("1703015180", "1703015180.5"));
    assertReason(Reason.BAD_NUMBER, seal.replace("\"kind\": 13", "\"kind\": 70000"));
    assertReason(Reason.BAD_NUMBER, seal.replace("1703015180", "-1"));
    assertReason(Reason.BAD_NUMBER, seal.replace("1703015180", "99999999999999999999999"));
    assertReason(Reason.DUPLICATE_FIELD, seal.replace("\"kind\": 13,", "\"kind\": 13, \"kind\": 13,"));
    assertReason(Reason.MISSING_FIELD, seal.replace("\"kind\": 13,", ""));
    assertReason(Reason.EMPTY_TAG, seal.replace("\"tags\": []", "\"tags\": [[]]"));
    assertReason(Reason.WRONG_TYPE, seal.replace("\"tags\": []", "\"tags\": [[\"p\", 5]]"));
    assertReason(Reason.WRONG_TYPE, seal.replace("\"tags\": []", "\"tags\": {}"));
    assertReason(Reason.NOT_AN_OBJECT, "[1,2,3]");
    assertReason(Reason.MALFORMED_JSON, seal.substring(0, seal.length() / 2));
    assertReason(Reason.MALFORMED_JSON, seal + " {}");
  }

  @Test
  void ignoresUnknownFieldsButBoundsTheirDepth() throws Exception {
    String seal = resource("example-seal.json");
    assertEquals(13, EventJson.parse(seal.replace("\"kind\": 13,", "\"kind\": 13, \"extra\": {\"a\": [1]},")).kind());
    String deep = "[".repeat(40) + "]".repeat(40);
    assertReason(Reason.TOO_DEEP, seal.replace("\"kind\": 13,", "\"kind\": 13, \"extra\": " + deep + ","));
  }

  @Test
  void enforcesSizeTagCountTagLengthAndStringLimits() {
    String seal = resource("example-seal.json");
    ParseLimits tight = new ParseLimits(4096, 2, 3, 600);
    assertThrowsReason(Reason.TOO_LARGE, seal + " ".repeat(5000), tight);
    assertThrowsReason(Reason.TOO_MANY_TAGS,
        seal.replace("\"tags\": []", "\"tags\": [[\"a\"],[\"b\"],[\"c\"]]"), tight);
    assertThrowsReason(Reason.TAG_TOO_LONG,
        seal.replace("\"tags\": []", "\"tags\": [[\"a\",\"b\",\"c\",\"d\"]]"), tight);
    assertThrowsReason(Reason.STRING_TOO_LONG, seal, new ParseLimits(4096, 2, 3, 100));
  }

  @Test
  void aRumorMustNotCarryASignature() {
    String seal = resource("example-seal.json");
    EventParseException e = assertThrows(EventParseException.class, () -> EventJson.parseRumor(seal));
    assertEquals(Reason.WRONG_TYPE, e.reason());
  }

  @Test
  void errorMessagesNeverQuoteTheInput() {
    String secret = "attack-at-dawn-secret";
    List<String> inputs = new ArrayList<>();
    inputs.add("{\"content\": " + secret + "}");
    inputs.add("{\"content\": \"" + secret + "\", " + secret + "}");
    inputs.add("[\"" + secret + "\"");
    for (String input : inputs) {
      EventParseException e = assertThrows(EventParseException.class, () -> EventJson.parseRumor(input));
      assertEquals(-1, String.valueOf(e.getMessage()).indexOf("attack"), e.getMessage());
      assertEquals(null, e.getCause());
    }
  }

  private static void assertReason(Reason expected, String json) {
    assertThrowsReason(expected, json, ParseLimits.DEFAULT);
  }

  private static void assertThrowsReason(Reason expected, String json, ParseLimits limits) {
    EventParseException e = assertThrows(EventParseException.class,
        () -> EventJson.parse(json.getBytes(StandardCharsets.UTF_8), limits));
    assertEquals(expected, e.reason(), e.getMessage());
  }
}
