package xchat.protocol.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import xchat.protocol.event.EventJson;
import xchat.protocol.event.EventParseException;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.Tag;
import xchat.protocol.message.MessageParseException.Reason;
import xchat.protocol.message.RelayMessage.AuthChallenge;
import xchat.protocol.message.RelayMessage.Closed;
import xchat.protocol.message.RelayMessage.CountResult;
import xchat.protocol.message.RelayMessage.Eose;
import xchat.protocol.message.RelayMessage.EventMessage;
import xchat.protocol.message.RelayMessage.NegErr;
import xchat.protocol.message.RelayMessage.NegMsg;
import xchat.protocol.message.RelayMessage.Notice;
import xchat.protocol.message.RelayMessage.Ok;

class RelayMessageJsonTest {
  static final NostrEvent WRAP =
      TestEvents.event(TestEvents.keys("ephemeral"), 1700000000, 1059, "ciphertext",
          Tag.of("p", TestEvents.keys("bob").publicKey().hex()));
  static final String WRAP_JSON = EventJson.toJson(WRAP);
  static final String ID = WRAP.id().hex();

  static Stream<RelayMessage> everyType() {
    return Stream.of(
        new EventMessage("sub-1", WRAP),
        new Ok(WRAP.id(), true, ""),
        new Ok(WRAP.id(), false, "blocked: you are banned from posting here"),
        new Eose("sub-1"),
        new Closed("sub-1", "auth-required: we can't serve DMs to unauthenticated users"),
        new Notice("restarting in 5\u00a0minutes \uD83D\uDE80"),
        new AuthChallenge("challengestringhere"),
        new CountResult("count-1", 238),
        new NegMsg("neg-1", "61000002"),
        new NegErr("neg-1", "closed: you took too long to respond!"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyType")
  void everyMessageTypeRoundTrips(RelayMessage message) throws Exception {
    String json = message.toJson();
    assertEquals(message, RelayMessageJson.parse(json));
    assertEquals(message,
        RelayMessageJson.parse(json.getBytes(StandardCharsets.UTF_8), MessageLimits.DEFAULT));
    assertEquals(json, RelayMessageJson.write(RelayMessageJson.parse(json)));
  }

  @Test
  void writesTheNip01WireShapes() {
    assertEquals("[\"EVENT\",\"s\"," + WRAP_JSON + "]", new EventMessage("s", WRAP).toJson());
    assertEquals("[\"OK\",\"" + ID + "\",false,\"invalid: bad\"]",
        new Ok(WRAP.id(), false, "invalid: bad").toJson());
    assertEquals("[\"EOSE\",\"s\"]", new Eose("s").toJson());
    assertEquals("[\"CLOSED\",\"s\",\"error: x\"]", new Closed("s", "error: x").toJson());
    assertEquals("[\"NOTICE\",\"n\"]", new Notice("n").toJson());
    assertEquals("[\"AUTH\",\"c\"]", new AuthChallenge("c").toJson());
    assertEquals("[\"COUNT\",\"s\",{\"count\":3}]", new CountResult("s", 3).toJson());
    assertEquals("[\"NEG-MSG\",\"s\",\"61\"]", new NegMsg("s", "61").toJson());
    assertEquals("[\"NEG-ERR\",\"s\",\"blocked: too big\"]", new NegErr("s", "blocked: too big").toJson());
  }

  @Test
  void readsANip45CountWithExtraMembers() throws Exception {
    assertEquals(new CountResult("s", 93412452),
        RelayMessageJson.parse("[\"COUNT\",\"s\",{\"approximate\":true,\"count\":93412452,\"hll\":\"0607\"}]"));
  }

  @Test
  void okAndClosedCarryTheirOutcome() throws Exception {
    Ok ok = (Ok) RelayMessageJson.parse("[\"OK\",\"" + ID + "\",false,\"rate-limited: slow down\"]");
    assertEquals(OkPrefix.Outcome.TRANSIENT, ok.outcome());
    Closed closed = (Closed) RelayMessageJson.parse("[\"CLOSED\",\"s\",\"auth-required: who are you\"]");
    assertEquals(OkPrefix.Outcome.AUTH_REQUIRED, closed.outcome());
  }

  static Stream<Arguments> hostile() {
    return Stream.of(
        bad(Reason.MALFORMED_JSON, "[\"EOSE\",\"s\""),
        bad(Reason.MALFORMED_JSON, "[\"EOSE\",\"s\"]x"),
        bad(Reason.NOT_AN_ARRAY, "null"),
        bad(Reason.UNKNOWN_TYPE, "[\"REQ\",\"s\",{}]"),
        bad(Reason.UNKNOWN_TYPE, "[\"NEG-OPEN\",\"s\",{},\"61\"]"),
        bad(Reason.UNKNOWN_TYPE, "[\"ok\",\"" + ID + "\",true,\"\"]"),
        bad(Reason.WRONG_TYPE, "[\"AUTH\"," + WRAP_JSON + "]"),
        bad(Reason.WRONG_TYPE, "[\"OK\",\"" + ID + "\",\"true\",\"\"]"),
        bad(Reason.WRONG_TYPE, "[\"OK\",\"" + ID + "\",1,\"\"]"),
        bad(Reason.WRONG_TYPE, "[\"OK\",\"" + ID + "\",true,null]"),
        bad(Reason.WRONG_TYPE, "[\"OK\",7,true,\"\"]"),
        bad(Reason.WRONG_TYPE, "[\"NOTICE\",{}]"),
        bad(Reason.WRONG_TYPE, "[\"EVENT\",\"s\",[]]"),
        bad(Reason.WRONG_TYPE, "[\"COUNT\",\"s\",5]"),
        bad(Reason.BAD_ARITY, "[\"OK\",\"" + ID + "\",true]"),
        bad(Reason.BAD_ARITY, "[\"OK\",\"" + ID + "\",true,\"\",\"\"]"),
        bad(Reason.BAD_SUBSCRIPTION_ID, "[\"EVENT\"," + WRAP_JSON + "]"),
        bad(Reason.BAD_ARITY, "[\"EOSE\"]"),
        bad(Reason.BAD_ARITY, "[\"CLOSED\",\"s\"]"),
        bad(Reason.BAD_ARITY, "[\"NOTICE\"]"),
        bad(Reason.BAD_ARITY, "[\"AUTH\",\"c\",\"d\"]"),
        bad(Reason.BAD_ARITY, "[\"NEG-ERR\",\"s\",\"blocked: x\",100]"),
        bad(Reason.BAD_SUBSCRIPTION_ID, "[\"EOSE\",\"\"]"),
        bad(Reason.BAD_SUBSCRIPTION_ID, "[\"EVENT\",\"" + "s".repeat(65) + "\"," + WRAP_JSON + "]"),
        bad(Reason.BAD_SUBSCRIPTION_ID, "[\"CLOSED\",1,\"error: x\"]"),
        bad(Reason.BAD_HEX, "[\"OK\",\"" + ID.toUpperCase() + "\",true,\"\"]"),
        bad(Reason.BAD_HEX, "[\"OK\",\"" + ID.substring(2) + "\",true,\"\"]"),
        bad(Reason.BAD_HEX, "[\"NEG-MSG\",\"s\",\"6\"]"),
        bad(Reason.BAD_NUMBER, "[\"COUNT\",\"s\",{}]"),
        bad(Reason.BAD_NUMBER, "[\"COUNT\",\"s\",{\"count\":-1}]"),
        bad(Reason.BAD_NUMBER, "[\"COUNT\",\"s\",{\"count\":1.5}]"),
        bad(Reason.BAD_NUMBER, "[\"COUNT\",\"s\",{\"count\":\"3\"}]"),
        bad(Reason.BAD_NUMBER, "[\"COUNT\",\"s\",{\"count\":1,\"count\":2}]"),
        bad(Reason.BAD_NUMBER, "[\"COUNT\",\"s\",{\"count\":99999999999999999999}]"),
        bad(Reason.INVALID_UNICODE, "[\"NOTICE\",\"\\udc00\"]"),
        bad(Reason.TOO_DEEP,
            "[\"COUNT\",\"s\",{\"count\":1,\"x\":" + "[".repeat(40) + "]".repeat(40) + "}]"));
  }

  static Arguments bad(Reason reason, String frame) {
    return Arguments.of(reason, frame);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("hostile")
  void refusesHostileFramesWithTheirReason(Reason reason, String frame) {
    assertEquals(reason, refusal(frame).reason(), frame);
  }

  @Test
  void reportsABadEventWithItsSubscription() {
    String forged = WRAP_JSON.replace("ciphertext", "plaintext");
    MessageParseException e = refusal("[\"EVENT\",\"sub-7\"," + forged + "]");
    assertEquals(Reason.BAD_EVENT, e.reason());
    assertEquals(Optional.of(EventParseException.Reason.ID_MISMATCH), e.eventReason());
    assertEquals(Optional.of("sub-7"), e.subscriptionId());
    assertFalse(e.getMessage().contains("plaintext"), e.getMessage());
  }

  static MessageParseException refusal(String frame) {
    return assertThrows(MessageParseException.class, () -> RelayMessageJson.parse(frame), frame);
  }
}
