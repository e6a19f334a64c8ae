package xchat.protocol.nip42;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.Tag;
import xchat.protocol.event.Tags;
import xchat.protocol.event.UnsignedEvent;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.message.ClientMessage;
import xchat.protocol.message.ClientMessageJson;
import xchat.protocol.message.TestEvents;
import xchat.protocol.nip42.AuthValidation.Invalid;
import xchat.protocol.nip42.AuthValidation.Reason;
import xchat.protocol.nip42.AuthValidation.Valid;

class AuthValidatorTest {
  static final KeyPair ALICE = TestEvents.keys("alice");
  static final long NOW = 1_700_000_000L;
  static final String RELAY = "wss://relay.example.com/";
  static final String CHALLENGE = "challengestringhere";
  static final byte[] AUX = new byte[32];
  static final AuthValidator VALIDATOR = new AuthValidator(RELAY, TestEvents.CURVE);

  static NostrEvent auth(String relay, String challenge, long createdAt) {
    return AuthEvent.create(ALICE, TestEvents.CURVE, relay, challenge, createdAt, AUX);
  }

  @Test
  void buildsTheCanonicalKind22242Event() {
    NostrEvent event = auth(RELAY, CHALLENGE, NOW);
    assertEquals(22242, event.kind());
    assertEquals(ALICE.publicKey(), event.pubkey());
    assertEquals(List.of(Tag.of("relay", RELAY), Tag.of("challenge", CHALLENGE)), event.tags().list());
    assertEquals("", event.content());
  }

  @Test
  void acceptsAFreshEventForThisRelayAndChallenge() {
    assertEquals(new Valid(ALICE.publicKey()), VALIDATOR.validate(auth(RELAY, CHALLENGE, NOW), CHALLENGE, NOW));
  }

  @Test
  void acceptsAnEventThatCrossedTheWireInAnAuthMessage() throws Exception {
    String frame = new ClientMessage.Auth(auth(RELAY, CHALLENGE, NOW)).toJson();
    ClientMessage.Auth parsed = (ClientMessage.Auth) ClientMessageJson.parse(frame);
    assertEquals(new Valid(ALICE.publicKey()), VALIDATOR.validate(parsed.event(), CHALLENGE, NOW));
  }

  @Test
  void acceptsAnEquivalentSpellingOfTheRelayUrl() {
    NostrEvent event = auth("WSS://Relay.Example.com:443", CHALLENGE, NOW);
    assertEquals(new Valid(ALICE.publicKey()), VALIDATOR.validate(event, CHALLENGE, NOW));
  }

  @Test
  void refusesTheWrongChallenge() {
    assertEquals(new Invalid(Reason.WRONG_CHALLENGE),
        VALIDATOR.validate(auth(RELAY, "an-older-challenge", NOW), CHALLENGE, NOW));
  }

  @Test
  void refusesAnEventMeantForAnotherRelay() {
    assertEquals(new Invalid(Reason.WRONG_RELAY),
        VALIDATOR.validate(auth("wss://other.example.com/", CHALLENGE, NOW), CHALLENGE, NOW));
    assertEquals(new Invalid(Reason.WRONG_RELAY),
        VALIDATOR.validate(auth("relay.example.com", CHALLENGE, NOW), CHALLENGE, NOW));
  }

  @Test
  void acceptsTenMinutesOfSkewEitherWayAndNoMore() {
    long skew = AuthValidator.DEFAULT_MAX_SKEW_SECONDS;
    assertEquals(new Valid(ALICE.publicKey()), VALIDATOR.validate(auth(RELAY, CHALLENGE, NOW - skew), CHALLENGE, NOW));
    assertEquals(new Valid(ALICE.publicKey()), VALIDATOR.validate(auth(RELAY, CHALLENGE, NOW + skew), CHALLENGE, NOW));
    assertEquals(new Invalid(Reason.TOO_OLD), VALIDATOR.validate(auth(RELAY, CHALLENGE, NOW - skew - 1), CHALLENGE, NOW));
    assertEquals(new Invalid(Reason.TOO_NEW), VALIDATOR.validate(auth(RELAY, CHALLENGE, NOW + skew + 1), CHALLENGE, NOW));
    assertEquals(new Invalid(Reason.TOO_OLD), VALIDATOR.validate(auth(RELAY, CHALLENGE, 0), CHALLENGE, NOW));
  }

  @Test
  void refusesABadSignature() {
    NostrEvent good = auth(RELAY, CHALLENGE, NOW);
    NostrEvent other = auth(RELAY, CHALLENGE, NOW + 1);
    NostrEvent forged = new NostrEvent(good.id(), good.pubkey(), good.createdAt(), good.kind(),
        good.tags(), good.content(), other.sig());
    assertEquals(new Invalid(Reason.BAD_SIGNATURE), VALIDATOR.validate(forged, CHALLENGE, NOW));
  }

  @Test
  void refusesOtherKindsAndMissingTags() {
    NostrEvent note = TestEvents.event(ALICE, NOW, 1, "",
        Tag.of("relay", RELAY), Tag.of("challenge", CHALLENGE));
    assertEquals(new Invalid(Reason.WRONG_KIND), VALIDATOR.validate(note, CHALLENGE, NOW));
    NostrEvent noChallenge = signAuth(Tags.of(Tag.of("relay", RELAY)));
    assertEquals(new Invalid(Reason.MISSING_CHALLENGE), VALIDATOR.validate(noChallenge, CHALLENGE, NOW));
    NostrEvent noRelay = signAuth(Tags.of(Tag.of("challenge", CHALLENGE)));
    assertEquals(new Invalid(Reason.MISSING_RELAY), VALIDATOR.validate(noRelay, CHALLENGE, NOW));
  }

  @Test
  void refusesToValidateAgainstAnEmptyChallengeOrAnInvalidRelayUrl() {
    NostrEvent event = auth(RELAY, "", NOW);
    assertThrows(IllegalArgumentException.class, () -> VALIDATOR.validate(event, "", NOW));
    assertThrows(IllegalArgumentException.class,
        () -> new AuthValidator("https://relay.example.com", TestEvents.CURVE));
  }

  static NostrEvent signAuth(Tags tags) {
    return TestEvents.sign(ALICE, new UnsignedEvent(ALICE.publicKey(), NOW, AuthEvent.KIND, tags, ""));
  }
}
