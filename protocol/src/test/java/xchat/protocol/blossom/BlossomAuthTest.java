package xchat.protocol.blossom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import xchat.protocol.blossom.BlossomAuthValidation.Authorized;
import xchat.protocol.blossom.BlossomAuthValidation.Reason;
import xchat.protocol.blossom.BlossomAuthValidation.Refused;
import xchat.protocol.event.EventJson;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.Signature;
import xchat.protocol.event.Tag;
import xchat.protocol.event.Tags;
import xchat.protocol.event.UnsignedEvent;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.message.TestEvents;

class BlossomAuthTest {
  static final KeyPair ALICE = TestEvents.keys("alice");
  static final long NOW = 1_700_000_000L;
  static final String BLOB = "b1674191a88ec5cdd733e4240a81803105dc412d6c6708d53ab94fc248f4f553";
  static final String OTHER = "0000000000000000000000000000000000000000000000000000000000000001";
  static final byte[] AUX = new byte[32];
  static final BlossomAuthValidator VALIDATOR = new BlossomAuthValidator(TestEvents.CURVE);

  static NostrEvent auth(BlossomVerb verb, List<String> blobs) {
    return BlossomAuth.create(
        ALICE, TestEvents.CURVE, verb, blobs, "Upload blob", NOW, NOW + 300, AUX);
  }

  static Reason refusal(BlossomAuthValidation validation) {
    return ((Refused) validation).reason();
  }

  @Test
  void buildsTheKind24242EventBud01Describes() {
    NostrEvent event = auth(BlossomVerb.UPLOAD, List.of(BLOB));
    assertEquals(24242, event.kind());
    assertEquals("Upload blob", event.content());
    assertEquals(
        List.of(
            Tag.of("t", "upload"),
            Tag.of("x", BLOB),
            Tag.of("expiration", Long.toString(NOW + 300))),
        event.tags().list());
    assertTrue(event.hasValidSignature(TestEvents.CURVE));
  }

  @Test
  void refusesToBuildAnUploadThatNamesNoBlob() {
    assertThrows(IllegalArgumentException.class, () -> auth(BlossomVerb.UPLOAD, List.of()));
    assertThrows(IllegalArgumentException.class, () -> auth(BlossomVerb.DELETE, List.of("ABC")));
  }

  @Test
  void headerCarriesTheEventAsStandardBase64() {
    NostrEvent event = auth(BlossomVerb.DELETE, List.of(BLOB));
    String header = BlossomAuth.authorizationHeader(event);
    assertTrue(header.startsWith("Nostr "));
    byte[] json = Base64.getDecoder().decode(header.substring(6));
    assertEquals(EventJson.toJson(event), new String(json, StandardCharsets.UTF_8));
  }

  @Test
  void acceptsAFreshEventForTheRightVerbAndBlob() {
    NostrEvent event = auth(BlossomVerb.DELETE, List.of(OTHER, BLOB));
    BlossomAuthValidation result =
        VALIDATOR.validateHeader(
            Optional.of(BlossomAuth.authorizationHeader(event)),
            BlossomVerb.DELETE,
            Optional.of(BLOB),
            NOW);
    assertEquals(new Authorized(ALICE.publicKey(), event), result);
  }

  @Test
  void acceptsUrlSafeBase64AndAnyCaseOfTheScheme() {
    NostrEvent event = auth(BlossomVerb.UPLOAD, List.of(BLOB));
    String token =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(EventJson.toJson(event).getBytes(StandardCharsets.UTF_8));
    assertTrue(
        VALIDATOR
            .validateHeader(
                Optional.of("nostr " + token), BlossomVerb.UPLOAD, Optional.empty(), NOW)
            .isAuthorized());
  }

  @Test
  void refusesAMissingOrMalformedHeader() {
    assertEquals(
        Reason.MISSING_HEADER,
        refusal(
            VALIDATOR.validateHeader(Optional.empty(), BlossomVerb.LIST, Optional.empty(), NOW)));
    assertEquals(
        Reason.MALFORMED_HEADER,
        refusal(
            VALIDATOR.validateHeader(
                Optional.of("Bearer abc"), BlossomVerb.LIST, Optional.empty(), NOW)));
    assertEquals(
        Reason.MALFORMED_HEADER,
        refusal(
            VALIDATOR.validateHeader(
                Optional.of("Nostr !!!"), BlossomVerb.LIST, Optional.empty(), NOW)));
    assertEquals(
        Reason.MALFORMED_HEADER,
        refusal(
            VALIDATOR.validateHeader(
                Optional.of("Nostr " + "A".repeat(20_000)),
                BlossomVerb.LIST,
                Optional.empty(),
                NOW)));
    String notAnEvent =
        Base64.getEncoder().encodeToString("{\"kind\":1}".getBytes(StandardCharsets.UTF_8));
    assertEquals(
        Reason.MALFORMED_EVENT,
        refusal(
            VALIDATOR.validateHeader(
                Optional.of("Nostr " + notAnEvent), BlossomVerb.LIST, Optional.empty(), NOW)));
  }

  @Test
  void refusesTheWrongKind() {
    NostrEvent event =
        TestEvents.event(
            ALICE, NOW, 1, "", Tag.of("t", "list"), Tag.of("expiration", "" + (NOW + 9)));
    assertEquals(
        Reason.WRONG_KIND,
        refusal(VALIDATOR.validate(event, BlossomVerb.LIST, Optional.empty(), NOW)));
  }

  @Test
  void refusesAnEventCreatedInTheFuture() {
    NostrEvent event =
        BlossomAuth.create(
            ALICE, TestEvents.CURVE, BlossomVerb.LIST, List.of(), "List", NOW + 61, NOW + 600, AUX);
    assertEquals(
        Reason.CREATED_IN_FUTURE,
        refusal(VALIDATOR.validate(event, BlossomVerb.LIST, Optional.empty(), NOW)));
  }

  @Test
  void refusesAnEventWithoutExpiration() {
    NostrEvent event = TestEvents.event(ALICE, NOW, 24242, "List", Tag.of("t", "list"));
    assertEquals(
        Reason.MISSING_EXPIRATION,
        refusal(VALIDATOR.validate(event, BlossomVerb.LIST, Optional.empty(), NOW)));
  }

  @Test
  void refusesAnExpiredEventFromItsExpirationSecondOn() {
    NostrEvent event = auth(BlossomVerb.UPLOAD, List.of(BLOB));
    assertTrue(
        VALIDATOR.validate(event, BlossomVerb.UPLOAD, Optional.of(BLOB), NOW + 299).isAuthorized());
    assertEquals(
        Reason.EXPIRED,
        refusal(VALIDATOR.validate(event, BlossomVerb.UPLOAD, Optional.of(BLOB), NOW + 300)));
  }

  @Test
  void refusesAnEventForAnotherVerb() {
    NostrEvent event = auth(BlossomVerb.UPLOAD, List.of(BLOB));
    assertEquals(
        Reason.WRONG_VERB,
        refusal(VALIDATOR.validate(event, BlossomVerb.DELETE, Optional.of(BLOB), NOW)));
  }

  @Test
  void refusesADeleteThatNamesNoBlobOrAnotherBlob() {
    NostrEvent none =
        TestEvents.event(
            ALICE,
            NOW,
            24242,
            "Delete",
            Tag.of("t", "delete"),
            Tag.of("expiration", Long.toString(NOW + 60)));
    assertEquals(
        Reason.MISSING_BLOB_HASH,
        refusal(VALIDATOR.validate(none, BlossomVerb.DELETE, Optional.of(BLOB), NOW)));
    NostrEvent other = auth(BlossomVerb.DELETE, List.of(OTHER));
    assertEquals(
        Reason.BLOB_NOT_COVERED,
        refusal(VALIDATOR.validate(other, BlossomVerb.DELETE, Optional.of(BLOB), NOW)));
  }

  @Test
  void refusesAForgedSignature() {
    NostrEvent event = auth(BlossomVerb.UPLOAD, List.of(BLOB));
    byte[] sig = event.sig().bytes();
    sig[5] ^= 1;
    NostrEvent forged =
        new NostrEvent(
            event.id(),
            event.pubkey(),
            event.createdAt(),
            event.kind(),
            event.tags(),
            event.content(),
            new Signature(sig));
    assertEquals(
        Reason.BAD_SIGNATURE,
        refusal(VALIDATOR.validate(forged, BlossomVerb.UPLOAD, Optional.of(BLOB), NOW)));
  }

  @Test
  void aGetEventMayNameTheServerInsteadOfTheBlob() {
    BlossomAuthValidator validator =
        new BlossomAuthValidator(TestEvents.CURVE, 60, Optional.of("https://cdn.example.com"));
    NostrEvent event =
        TestEvents.sign(
            ALICE,
            new UnsignedEvent(
                ALICE.publicKey(),
                NOW,
                24242,
                new Tags(
                    List.of(
                        Tag.of("t", "get"),
                        Tag.of("server", "https://CDN.example.com/"),
                        Tag.of("expiration", Long.toString(NOW + 60)))),
                "Get blobs"));
    assertTrue(validator.validate(event, BlossomVerb.GET, Optional.of(BLOB), NOW).isAuthorized());
    assertFalse(VALIDATOR.validate(event, BlossomVerb.GET, Optional.of(BLOB), NOW).isAuthorized());
  }
}
