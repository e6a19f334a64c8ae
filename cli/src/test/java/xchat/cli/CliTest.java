package xchat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.event.EventJson;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.Rumor;
import xchat.protocol.event.Tag;
import xchat.protocol.event.Tags;
import xchat.protocol.event.UnsignedEvent;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.nip44.Nip44;
import xchat.protocol.nip59.GiftWrap;

class CliTest {
  static final Secp256k1 CURVE = Secp256k1.defaultBackend();

  record Result(int code, String out, String err) {
    List<String> lines() {
      return out.isEmpty() ? List.of() : List.of(out.split("\n"));
    }
  }

  static Result run(String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
        new PrintWriter(out), new PrintWriter(err), args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void keygenPrintsAnNsecThenAnNpub() {
    Result result = run("", "keygen");
    assertEquals(0, result.code(), result.err());
    assertEquals(2, result.lines().size());
    assertTrue(result.lines().get(0).startsWith("nsec1"));
    assertTrue(result.lines().get(1).startsWith("npub1"));
  }

  @Test
  void whatWrapPrintsUnwrapReadsBackForEveryRecipientAndTheSender() {
    List<String> alice = run("", "keygen").lines();
    List<String> bob = run("", "keygen").lines();
    Result wraps = run("", "wrap", "--nsec", alice.get(0), "--to", bob.get(1), "hello bob");
    assertEquals(0, wraps.code(), wraps.err());
    assertEquals(2, wraps.lines().size(), "one wrap for bob, one for alice's other devices");

    Result forBob = run(wraps.out(), "unwrap", "--nsec", bob.get(0));
    assertEquals(0, forBob.code(), "alice's self copy is skipped, not an error: " + forBob.err());
    assertEquals(1, forBob.lines().size());
    assertTrue(forBob.lines().get(0).contains("\"content\":\"hello bob\""));
    assertTrue(forBob.err().contains("skipped: addressed to another key"));

    Result forAlice = run(wraps.out(), "unwrap", "--nsec", alice.get(0));
    assertEquals(1, forAlice.lines().size());
    assertTrue(forAlice.lines().get(0).contains("hello bob"));
  }

  @Test
  void unwrapReportsEachBadLineAndStillPrintsTheGoodOnes() throws Exception {
    Random random = new Random(42);
    KeyPair alice = KeyPair.generate(random, CURVE);
    KeyPair bob = KeyPair.generate(random, CURVE);
    KeyPair mallory = KeyPair.generate(random, CURVE);
    GiftWrap giftWrap = new GiftWrap(CURVE, random, () -> 1_760_000_000L);
    Rumor rumor = Rumor.of(new UnsignedEvent(alice.publicKey(), 1_760_000_000L, 14,
        Tags.of(Tag.of("p", bob.publicKey().hex())), "good one"));
    String good = EventJson.toJson(giftWrap.sealAndWrap(rumor, alice, bob.publicKey(), List.of()));

    NostrEvent original = EventJson.parse(good);
    String tampered = good.replace(original.content(), original.content().substring(0, 60) + "AAAA"
        + original.content().substring(64));

    NostrEvent seal = giftWrap.seal(rumor, alice, bob.publicKey(), List.of());
    byte[] sig = seal.sig().bytes();
    sig[5] ^= 1;
    NostrEvent forgedSeal = new NostrEvent(seal.id(), seal.pubkey(), seal.createdAt(), 13, seal.tags(),
        seal.content(), new xchat.protocol.event.Signature(sig));
    String forged = EventJson.toJson(giftWrap.wrap(forgedSeal, bob.publicKey(), List.of()));

    var key = Nip44.conversationKey(CURVE, mallory.secretKey().bytes(), bob.publicKey().bytes());
    NostrEvent impostorSeal = new UnsignedEvent(mallory.publicKey(), 1_760_000_000L, 13, Tags.EMPTY,
        Nip44.encrypt(EventJson.toJson(rumor), key, random)).sign(mallory, CURVE, new byte[32]);
    String impersonated = EventJson.toJson(giftWrap.wrap(impostorSeal, bob.publicKey(), List.of()));
    String truncated = good.substring(0, good.length() / 2);

    String input = String.join("\n", good, tampered, forged, impersonated, truncated, good) + "\n";
    Result result = run(input, "unwrap", "--nsec", bob.secretKey().hex());
    assertEquals(1, result.code());
    assertEquals(2, result.lines().size(), result.out());
    String[] errors = result.err().split("\n");
    assertTrue(errors[0].startsWith("line 2:"), result.err());
    assertTrue(result.err().contains("line 3:") && result.err().contains("BAD_SEAL_SIGNATURE"), result.err());
    assertTrue(result.err().contains("line 4:") && result.err().contains("SENDER_MISMATCH"), result.err());
    assertTrue(result.err().contains("line 5:") && result.err().contains("MALFORMED_JSON"), result.err());
    assertTrue(result.err().contains("4 of 6 lines failed"), result.err());
    assertFalse(result.err().contains("good one"), "errors must not echo plaintext");
  }

  @Test
  void verifyAcceptsSignedEventsAndRejectsForgedOnes() {
    List<String> alice = run("", "keygen").lines();
    List<String> bob = run("", "keygen").lines();
    String wraps = run("", "wrap", "--nsec", alice.get(0), "--to", bob.get(1), "hi").out();
    Result ok = run(wraps, "verify");
    assertEquals(0, ok.code(), ok.err());
    assertEquals(2, ok.lines().size());
    String forged = wraps.lines().findFirst().orElseThrow().replaceAll("\"sig\":\"..", "\"sig\":\"00");
    Result bad = run(forged + "\n", "verify");
    assertEquals(1, bad.code());
    assertTrue(bad.err().contains("bad signature"), bad.err());
  }

  @Test
  void badUsageExitsWithTwo() {
    assertEquals(2, run("", "wrap", "--to").code());
    assertEquals(2, run("", "nonsense").code());
    assertEquals(2, run("", "wrap", "--nsec", "nsec1notakey", "--to", "npub1x", "hi").code());
    assertEquals(2, run("").code());
  }
}
