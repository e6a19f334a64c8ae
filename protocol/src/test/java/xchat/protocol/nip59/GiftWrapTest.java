package xchat.protocol.nip59;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.crypto.Secp256k1Backends;
import xchat.protocol.event.EventJson;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.Rumor;
import xchat.protocol.event.Tag;
import xchat.protocol.event.Tags;
import xchat.protocol.event.UnsignedEvent;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.keys.PublicKey;
import xchat.protocol.keys.SecretKey;
import xchat.protocol.nip44.ConversationKey;
import xchat.protocol.nip44.Nip44;
import xchat.protocol.nip59.UnwrapResult.Reason;
import xchat.protocol.nip59.UnwrapResult.Rejected;
import xchat.protocol.nip59.UnwrapResult.Unwrapped;
import xchat.protocol.testing.Resources;

class GiftWrapTest {
  static final Secp256k1 CURVE = Secp256k1Backends.defaultBackend();
  static final long NOW = 1_760_000_000L;
  static final long SEED = 59L;

  final Random random = new Random(SEED);
  final GiftWrap giftWrap = new GiftWrap(CURVE, random, () -> NOW);
  final KeyPair alice = KeyPair.generate(random, CURVE);
  final KeyPair bob = KeyPair.generate(random, CURVE);
  final KeyPair mallory = KeyPair.generate(random, CURVE);

  @Test
  void unwrapsTheWorkedExampleOfNip59() throws Exception {
    KeyPair recipient = KeyPair.of(
        SecretKey.fromHex("e108399bd8424357a710b606ae0c13166d853d327e47a6e5e038197346bdbf45", CURVE), CURVE);
    NostrEvent wrap = EventJson.parse(Resources.text("/nip59/example-wrap.json"));
    UnwrapResult result = new Unwrapper(recipient, CURVE).unwrap(wrap);
    Unwrapped unwrapped = assertInstanceOf(Unwrapped.class, result, result.toString());
    assertEquals("9dd003c6d3b73b74a85a9ab099469ce251653a7af76f523671ab828acd2a0ef9", unwrapped.rumor().id().hex());
    assertEquals("611df01bfcf85c26ae65453b772d8f1dfd25c264621c0277e1fc1518686faef9", unwrapped.sender().hex());
    assertEquals("Are you going to the party tonight?", unwrapped.rumor().event().content());
  }

  @Test
  void aWrappedRumorUnwrapsToTheSameRumorAndProvesItsSender() {
    Rumor rumor = chat(alice, bob, "hello bob");
    NostrEvent wrap = giftWrap.sealAndWrap(rumor, alice, bob.publicKey(), List.of());
    Unwrapped unwrapped = assertInstanceOf(Unwrapped.class, new Unwrapper(bob, CURVE).unwrap(wrap));
    assertEquals(rumor, unwrapped.rumor());
    assertEquals(alice.publicKey(), unwrapped.sender());
    assertEquals(List.of(bob.publicKey().hex()), wrap.tags().values("p"));
  }

  @Test
  void wrapAndSealTimestampsAreRandomWithinTwoDaysAndEachWrapHasAFreshKey() {
    Rumor rumor = chat(alice, bob, "timing");
    Set<PublicKey> wrapKeys = new HashSet<>();
    Set<Long> stamps = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      NostrEvent wrap = giftWrap.sealAndWrap(rumor, alice, bob.publicKey(), List.of());
      Unwrapped unwrapped = (Unwrapped) new Unwrapper(bob, CURVE).unwrap(wrap);
      for (long at : new long[] {wrap.createdAt(), unwrapped.seal().createdAt()}) {
        assertTrue(at <= NOW && at >= NOW - GiftWrap.MAX_BACKDATE_SECONDS, "seed " + SEED + " at " + at);
        stamps.add(at);
      }
      assertNotEquals(alice.publicKey(), wrap.pubkey());
      wrapKeys.add(wrap.pubkey());
    }
    assertEquals(50, wrapKeys.size(), "seed " + SEED);
    assertTrue(stamps.size() > 90, "timestamps should rarely repeat; seed " + SEED);
  }

  @Test
  void theSameSeedGivesTheSameWraps() {
    Rumor rumor = chat(alice, bob, "replay me");
    GiftWrap first = new GiftWrap(CURVE, new Random(7), () -> NOW);
    GiftWrap second = new GiftWrap(CURVE, new Random(7), () -> NOW);
    assertEquals(first.sealAndWrap(rumor, alice, bob.publicKey(), List.of()),
        second.sealAndWrap(rumor, alice, bob.publicKey(), List.of()));
  }

  @Test
  void rejectsAWrapForSomeoneElse() {
    NostrEvent wrap = giftWrap.sealAndWrap(chat(alice, bob, "x"), alice, bob.publicKey(), List.of());
    assertRejected(Reason.NOT_ADDRESSED_TO_US, new Unwrapper(mallory, CURVE).unwrap(wrap));
  }

  @Test
  void rejectsEventsThatAreNotGiftWraps() {
    NostrEvent note = new UnsignedEvent(alice.publicKey(), NOW, 1, Tags.of(Tag.of("p", bob.publicKey().hex())), "hi")
        .sign(alice, CURVE, new byte[32]);
    assertRejected(Reason.NOT_A_GIFT_WRAP, new Unwrapper(bob, CURVE).unwrap(note));
  }

  @Test
  void rejectsAWrapWhoseSignatureIsForged() {
    NostrEvent wrap = giftWrap.sealAndWrap(chat(alice, bob, "x"), alice, bob.publicKey(), List.of());
    byte[] sig = wrap.sig().bytes();
    sig[10] ^= 1;
    NostrEvent forged = new NostrEvent(wrap.id(), wrap.pubkey(), wrap.createdAt(), wrap.kind(),
        wrap.tags(), wrap.content(), new xchat.protocol.event.Signature(sig));
    assertRejected(Reason.BAD_WRAP_SIGNATURE, new Unwrapper(bob, CURVE).unwrap(forged));
  }

  @Test
  void rejectsTamperedCiphertextEvenWhenTheWrapIsResigned() {
    NostrEvent wrap = giftWrap.sealAndWrap(chat(alice, bob, "x"), alice, bob.publicKey(), List.of());
    char[] content = wrap.content().toCharArray();
    content[40] = content[40] == 'A' ? 'B' : 'A';
    KeyPair relay = KeyPair.generate(random, CURVE);
    NostrEvent tampered = new UnsignedEvent(relay.publicKey(), wrap.createdAt(), 1059, wrap.tags(),
        new String(content)).sign(relay, CURVE, new byte[32]);
    assertRejected(Reason.WRAP_DECRYPTION_FAILED, new Unwrapper(bob, CURVE).unwrap(tampered));
  }

  @Test
  void rejectsASealWhoseSignatureIsForged() {
    Rumor rumor = chat(alice, bob, "x");
    NostrEvent seal = giftWrap.seal(rumor, alice, bob.publicKey(), List.of());
    byte[] sig = seal.sig().bytes();
    sig[0] ^= 1;
    NostrEvent forgedSeal = new NostrEvent(seal.id(), seal.pubkey(), seal.createdAt(), seal.kind(),
        seal.tags(), seal.content(), new xchat.protocol.event.Signature(sig));
    NostrEvent wrap = giftWrap.wrap(forgedSeal, bob.publicKey(), List.of());
    assertRejected(Reason.BAD_SEAL_SIGNATURE, new Unwrapper(bob, CURVE).unwrap(wrap));
  }

  @Test
  void rejectsARumorWhosePubkeyImpersonatesSomeoneElse() {
    // Mallory seals, with her own valid signature, a rumor that claims to be from Alice.
    Rumor impersonation = chat(alice, bob, "send money to mallory");
    ConversationKey key = Nip44.conversationKey(CURVE, mallory.secretKey().bytes(), bob.publicKey().bytes());
    NostrEvent seal = new UnsignedEvent(mallory.publicKey(), NOW, 13, Tags.EMPTY,
        Nip44.encrypt(EventJson.toJson(impersonation), key, random)).sign(mallory, CURVE, new byte[32]);
    NostrEvent wrap = giftWrap.wrap(seal, bob.publicKey(), List.of());
    UnwrapResult result = new Unwrapper(bob, CURVE).unwrap(wrap);
    assertRejected(Reason.SENDER_MISMATCH, result);
    assertTrue(!result.toString().contains("money"), "rejections must not echo plaintext");
  }

  @Test
  void rejectsASealThatCarriesTagsOrIsNotKind13() {
    Rumor rumor = chat(alice, bob, "x");
    ConversationKey key = Nip44.conversationKey(CURVE, alice.secretKey().bytes(), bob.publicKey().bytes());
    String content = Nip44.encrypt(EventJson.toJson(rumor), key, random);
    NostrEvent tagged = new UnsignedEvent(alice.publicKey(), NOW, 13, Tags.of(Tag.of("p", bob.publicKey().hex())),
        content).sign(alice, CURVE, new byte[32]);
    assertRejected(Reason.SEAL_HAS_TAGS, new Unwrapper(bob, CURVE).unwrap(giftWrap.wrap(tagged, bob.publicKey(), List.of())));
    NostrEvent wrongKind = new UnsignedEvent(alice.publicKey(), NOW, 14, Tags.EMPTY, content)
        .sign(alice, CURVE, new byte[32]);
    assertRejected(Reason.NOT_A_SEAL, new Unwrapper(bob, CURVE).unwrap(giftWrap.wrap(wrongKind, bob.publicKey(), List.of())));
  }

  @Test
  void rejectsASealWhoseRumorIsNotJson() {
    ConversationKey key = Nip44.conversationKey(CURVE, alice.secretKey().bytes(), bob.publicKey().bytes());
    NostrEvent seal = new UnsignedEvent(alice.publicKey(), NOW, 13, Tags.EMPTY,
        Nip44.encrypt("{\"kind\": 14, \"content\": \"secret-plaintext\"", key, random)).sign(alice, CURVE, new byte[32]);
    UnwrapResult result = new Unwrapper(bob, CURVE).unwrap(giftWrap.wrap(seal, bob.publicKey(), List.of()));
    assertRejected(Reason.MALFORMED_RUMOR, result);
    assertTrue(!result.toString().contains("secret-plaintext"));
  }

  static Rumor chat(KeyPair from, KeyPair to, String text) {
    return Rumor.of(new UnsignedEvent(from.publicKey(), NOW, 14, Tags.of(Tag.of("p", to.publicKey().hex())), text));
  }

  static void assertRejected(Reason expected, UnwrapResult result) {
    Rejected rejected = assertInstanceOf(Rejected.class, result, String.valueOf(result));
    assertEquals(expected, rejected.reason(), rejected.detail());
  }
}
