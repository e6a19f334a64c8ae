package xchat.protocol.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.event.EventJson;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.Rumor;
import xchat.protocol.hex.Hex;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.nip19.Naddr;
import xchat.protocol.nip19.Nevent;
import xchat.protocol.nip19.Nip19;
import xchat.protocol.nip19.Note;
import xchat.protocol.nip19.Nprofile;
import xchat.protocol.nip19.Npub;
import xchat.protocol.nip19.Nsec;
import xchat.protocol.nip49.KeySecurity;
import xchat.protocol.nip49.Nip49;
import xchat.protocol.nip17.ChatRumors;
import xchat.protocol.nip17.PrivateMessages;
import xchat.protocol.nip44.ConversationKey;
import xchat.protocol.nip44.Nip44;
import xchat.protocol.nip59.GiftWrap;
import xchat.protocol.nip59.UnwrapResult;
import xchat.protocol.nip59.Unwrapper;
import xchat.protocol.testing.NodePeer;

/** nostr-tools 2.25.2 (npm) is the peer nobody here wrote: every format must cross both ways. */
class NostrToolsInteropTest {
  static final Secp256k1 CURVE = Secp256k1.defaultBackend();
  static final String SCRIPT = "protocol-peer.mjs";
  static final long SEED = 2025L;

  final Random random = new Random(SEED);
  final KeyPair alice = KeyPair.generate(random, CURVE);
  final KeyPair bob = KeyPair.generate(random, CURVE);
  final KeyPair carol = KeyPair.generate(random, CURVE);

  @Test
  void xchatUnwrapsWhatNostrToolsWraps() throws Exception {
    ObjectNode request = NodePeer.request("nip17-wrap")
        .put("senderSk", alice.secretKey().hex())
        .put("message", "from nostr-tools \u00e9\u00e8 \uD83D\uDE00 \"quoted\"\nline two")
        .put("subject", "interop");
    request.putArray("recipients").add(bob.publicKey().hex()).add(carol.publicKey().hex());
    JsonNode wraps = NodePeer.call(SCRIPT, request);
    assertEquals(3, wraps.size(), "one per recipient plus the sender's copy");
    int opened = 0;
    for (JsonNode wrapJson : wraps) {
      NostrEvent wrap = EventJson.parse(wrapJson.toString());
      for (KeyPair member : List.of(alice, bob, carol)) {
        if (wrap.tags().values("p").contains(member.publicKey().hex())) {
          UnwrapResult result = new Unwrapper(member, CURVE).unwrap(wrap);
          UnwrapResult.Unwrapped unwrapped = assertInstanceOf(UnwrapResult.Unwrapped.class, result, result.toString());
          assertEquals(alice.publicKey(), unwrapped.sender());
          assertEquals(14, unwrapped.rumor().event().kind());
          assertEquals(request.get("message").asText(), unwrapped.rumor().event().content());
          opened++;
        }
      }
    }
    assertEquals(3, opened);
  }

  @Test
  void nostrToolsUnwrapsWhatXchatWraps() throws Exception {
    GiftWrap giftWrap = new GiftWrap(CURVE, random, () -> 1_760_000_000L);
    Rumor rumor = ChatRumors.chat(alice.publicKey(), List.of(bob.publicKey()),
        "from xchat \u00fc \uD83C\uDF89 \\ backslash", 1_760_000_000L, ChatRumors.Options.NONE);
    List<PrivateMessages.Copy> copies = PrivateMessages.wrapForRoom(rumor, alice, giftWrap);
    ArrayNode wraps = NodePeer.JSON.createArrayNode();
    for (PrivateMessages.Copy copy : copies) {
      wraps.add(NodePeer.JSON.readTree(EventJson.toJson(copy.wrap())));
    }
    JsonNode verified = NodePeer.call(SCRIPT, NodePeer.request("verify").set("events", wraps));
    verified.forEach(v -> assertTrue(v.asBoolean(), "nostr-tools must accept our ids and signatures"));

    for (KeyPair member : List.of(alice, bob)) {
      ObjectNode request = NodePeer.request("nip59-unwrap").put("sk", member.secretKey().hex());
      request.set("wraps", wraps);
      JsonNode results = NodePeer.call(SCRIPT, request);
      int ok = 0;
      for (JsonNode result : results) {
        if (result.get("ok").asBoolean()) {
          JsonNode opened = result.get("value");
          assertEquals(rumor.id().hex(), opened.get("id").asText());
          assertEquals(rumor.event().content(), opened.get("content").asText());
          assertEquals(alice.publicKey().hex(), opened.get("pubkey").asText());
          ok++;
        }
      }
      assertEquals(1, ok, "exactly the copy addressed to each member opens for it");
    }
  }

  @Test
  void eventsSignedByEitherSideVerifyOnTheOther() throws Exception {
    ObjectNode template = NodePeer.JSON.createObjectNode().put("kind", 1).put("created_at", 1_700_000_000L)
        .put("content", "tab\there, \"quotes\", back\\slash, new\nline, \u00e9 \uD83D\uDE00");
    template.putArray("tags").addArray().add("t").add("interop");
    JsonNode signed = NodePeer.call(SCRIPT, NodePeer.request("sign").put("sk", alice.secretKey().hex())
        .set("template", template));
    NostrEvent event = EventJson.parse(signed.toString());
    assertTrue(event.hasValidSignature(CURVE));
  }

  @Test
  void nip44PayloadsCrossBothWays() throws Exception {
    List<String> plaintexts = List.of("a", "hello nostr-tools", "\u00e9".repeat(1000), "x".repeat(65535));
    ObjectNode toJs = NodePeer.request("nip44-encrypt").put("sk", alice.secretKey().hex())
        .put("pk", bob.publicKey().hex());
    ArrayNode texts = toJs.putArray("plaintexts");
    plaintexts.forEach(texts::add);
    JsonNode payloads = NodePeer.call(SCRIPT, toJs);
    ConversationKey bobKey = Nip44.conversationKey(CURVE, bob.secretKey().bytes(), alice.publicKey().bytes());
    for (int i = 0; i < plaintexts.size(); i++) {
      assertEquals(plaintexts.get(i), Nip44.decrypt(payloads.get(i).asText(), bobKey));
    }

    ConversationKey aliceKey = Nip44.conversationKey(CURVE, alice.secretKey().bytes(), bob.publicKey().bytes());
    ObjectNode fromJava = NodePeer.request("nip44-decrypt").put("sk", bob.secretKey().hex())
        .put("pk", alice.publicKey().hex());
    ArrayNode ours = fromJava.putArray("payloads");
    List<String> expected = new ArrayList<>(plaintexts);
    for (String plaintext : plaintexts) {
      ours.add(Nip44.encrypt(plaintext, aliceKey, random));
    }
    String tampered = Nip44.encrypt("tamper me", aliceKey, random);
    ours.add(tampered.substring(0, 50) + (tampered.charAt(50) == 'A' ? 'B' : 'A') + tampered.substring(51));
    JsonNode decrypted = NodePeer.call(SCRIPT, fromJava);
    for (int i = 0; i < expected.size(); i++) {
      assertTrue(decrypted.get(i).get("ok").asBoolean(), "seed " + SEED);
      assertEquals(expected.get(i), decrypted.get(i).get("value").asText());
    }
    assertFalse(decrypted.get(expected.size()).get("ok").asBoolean(), "nostr-tools must reject our tampered MAC");
  }

  @Test
  void nip19StringsCrossBothWays() throws Exception {
    byte[] noteId = new byte[32];
    random.nextBytes(noteId);
    String noteHex = Hex.encode(noteId);
    ObjectNode request = NodePeer.request("nip19-encode").put("pubkey", alice.publicKey().hex())
        .put("sk", alice.secretKey().hex()).put("note", noteHex);
    request.putObject("nprofile").put("pubkey", bob.publicKey().hex())
        .putArray("relays").add("wss://r.x.com").add("wss://djbas.sadkb.com");
    ObjectNode nevent = request.putObject("nevent").put("id", noteHex).put("author", carol.publicKey().hex())
        .put("kind", 14);
    nevent.putArray("relays").add("wss://relay.example");
    request.putObject("naddr").put("identifier", "circle-friends").put("pubkey", alice.publicKey().hex())
        .put("kind", 30078).putArray("relays").add("wss://relay.example");
    JsonNode js = NodePeer.call(SCRIPT, request);

    assertEquals(alice.publicKey().hex(), Nip19.decode(js.get("npub").asText(), Npub.class).publicKeyHex());
    assertArrayEquals(alice.secretKey().bytes(), Nip19.decode(js.get("nsec").asText(), Nsec.class).secretKey());
    Nprofile profile = Nip19.decode(js.get("nprofile").asText(), Nprofile.class);
    assertEquals(bob.publicKey().hex(), profile.publicKeyHex());
    assertEquals(List.of("wss://r.x.com", "wss://djbas.sadkb.com"), profile.relays());
    Nevent event = Nip19.decode(js.get("nevent").asText(), Nevent.class);
    assertEquals(noteHex, event.eventIdHex());
    assertEquals(Optional.of(carol.publicKey().hex()), event.authorHex());
    assertEquals(OptionalLong.of(14), event.kind());
    Naddr addr = Nip19.decode(js.get("naddr").asText(), Naddr.class);
    assertEquals("circle-friends", addr.identifier());
    assertEquals(30078, addr.kind());

    List<String> ours = List.of(
        Nip19.encode(new Npub(alice.publicKey().bytes())),
        Nip19.encode(new Nsec(alice.secretKey().bytes())),
        Nip19.encode(new Note(noteId)),
        Nip19.encode(new Nprofile(bob.publicKey().bytes(), List.of("wss://r.x.com"))),
        Nip19.encode(new Nevent(noteId, List.of("wss://relay.example"), Optional.of(carol.publicKey().bytes()),
            OptionalLong.of(14))));
    ObjectNode decode = NodePeer.request("nip19-decode");
    ArrayNode strings = decode.putArray("strings");
    ours.forEach(strings::add);
    JsonNode decoded = NodePeer.call(SCRIPT, decode);
    assertEquals("npub", decoded.get(0).get("value").get("type").asText());
    assertEquals(alice.publicKey().hex(), decoded.get(0).get("value").get("data").asText());
    assertEquals(alice.secretKey().hex(), decoded.get(1).get("value").get("data").asText());
    assertEquals(noteHex, decoded.get(2).get("value").get("data").asText());
    assertEquals(bob.publicKey().hex(), decoded.get(3).get("value").get("data").get("pubkey").asText());
    JsonNode jsEvent = decoded.get(4).get("value").get("data");
    assertEquals(noteHex, jsEvent.get("id").asText());
    assertEquals(carol.publicKey().hex(), jsEvent.get("author").asText());
    assertEquals(14, jsEvent.get("kind").asInt());
  }

  @Test
  void nip49KeysCrossBothWays() throws Exception {
    String password = "correct horse \u00c5ngstr\u00f6m";
    JsonNode fromJs = NodePeer.call(SCRIPT, NodePeer.request("nip49-encrypt").put("sk", alice.secretKey().hex())
        .put("password", password).put("logn", 8));
    assertArrayEquals(alice.secretKey().bytes(), Nip49.decrypt(fromJs.asText(), password.toCharArray()));

    String ours = Nip49.encrypt(bob.secretKey().bytes(), password.toCharArray(), 8, KeySecurity.UNTRACKED, random);
    JsonNode opened = NodePeer.call(SCRIPT, NodePeer.request("nip49-decrypt").put("ncryptsec", ours)
        .put("password", password));
    assertTrue(opened.get("ok").asBoolean(), opened.toString());
    assertEquals(bob.secretKey().hex(), opened.get("value").asText());
    JsonNode wrong = NodePeer.call(SCRIPT, NodePeer.request("nip49-decrypt").put("ncryptsec", ours)
        .put("password", "wrong"));
    assertFalse(wrong.get("ok").asBoolean());
  }
}
