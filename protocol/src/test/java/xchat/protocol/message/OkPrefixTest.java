package xchat.protocol.message;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import xchat.protocol.message.OkPrefix.Outcome;
import xchat.protocol.message.OkPrefix.Parsed;

class OkPrefixTest {

  @ParameterizedTest
  @EnumSource(OkPrefix.class)
  void formatThenParseGivesBackPrefixAndText(OkPrefix prefix) {
    String message = OkPrefix.format(prefix, "human: readable text");
    assertEquals(prefix.wire() + ": human: readable text", message);
    assertEquals(new Parsed(Optional.of(prefix), "human: readable text"), OkPrefix.parse(message));
  }

  @Test
  void knowsTheWireSpellingOfEveryNip01AndNip42Prefix() {
    assertEquals(Optional.of(OkPrefix.RATE_LIMITED), OkPrefix.fromWire("rate-limited"));
    assertEquals(Optional.of(OkPrefix.AUTH_REQUIRED), OkPrefix.fromWire("auth-required"));
    assertEquals(Optional.of(OkPrefix.UNSUPPORTED), OkPrefix.fromWire("unsupported"));
    assertEquals(Optional.empty(), OkPrefix.fromWire("RATE-LIMITED"));
  }

  @Test
  void keepsUnknownOrMissingPrefixesInTheText() {
    assertEquals(new Parsed(Optional.empty(), ""), OkPrefix.parse(""));
    assertEquals(new Parsed(Optional.empty(), "closed: too slow"), OkPrefix.parse("closed: too slow"));
    assertEquals(new Parsed(Optional.empty(), "no prefix here"), OkPrefix.parse("no prefix here"));
    assertEquals(new Parsed(Optional.empty(), ": empty word"), OkPrefix.parse(": empty word"));
    assertEquals(new Parsed(Optional.empty(), "Error: capitalised"), OkPrefix.parse("Error: capitalised"));
    assertEquals(new Parsed(Optional.of(OkPrefix.AUTH_REQUIRED), ""), OkPrefix.parse("auth-required: "));
    assertEquals(new Parsed(Optional.of(OkPrefix.ERROR), "x"), OkPrefix.parse("error:x"));
  }

  @ParameterizedTest(name = "accepted={0} \"{1}\" -> {2}")
  @CsvSource(delimiter = '|', value = {
      "true  | ''                                        | SUCCESS",
      "true  | pow: difficulty 25>=24                    | SUCCESS",
      "true  | duplicate: already have this event        | SUCCESS",
      "false | duplicate: already have this event        | SUCCESS",
      "false | blocked: you are banned from posting here | TERMINAL",
      "false | rate-limited: slow down there chief       | TRANSIENT",
      "false | invalid: event creation date is too far off | TERMINAL",
      "false | pow: difficulty 26 is less than 30        | TERMINAL",
      "false | restricted: not allowed to write.         | TERMINAL",
      "false | error: could not connect to the database  | TRANSIENT",
      "false | mute: no one was listening                | TERMINAL",
      "false | auth-required: we only accept events from registered users | AUTH_REQUIRED",
      "false | unsupported: filter contains unknown elements | TERMINAL",
      "false | shrug: a prefix nobody defined            | TRANSIENT",
      "false | ''                                        | TRANSIENT"})
  void classifiesTheNip01Examples(boolean accepted, String message, Outcome expected) {
    assertEquals(expected, OkPrefix.classify(accepted, message), message);
  }
}
