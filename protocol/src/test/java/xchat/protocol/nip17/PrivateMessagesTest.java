package xchat.protocol.nip17;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.crypto.Secp256k1Backends;
import xchat.protocol.event.EventId;
import xchat.protocol.event.Rumor;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.keys.PublicKey;
import xchat.protocol.nip59.GiftWrap;
import xchat.protocol.nip59.UnwrapResult.Unwrapped;
import xchat.protocol.nip59.Unwrapper;

class PrivateMessagesTest {
  static final Secp256k1 CURVE = Secp256k1Backends.defaultBackend();
  static final long NOW = 1_760_000_000L;

  final Random random = new Random(17);
  final GiftWrap giftWrap = new GiftWrap(CURVE, random, () -> NOW);
  final KeyPair alice = KeyPair.generate(random, CURVE);
  final KeyPair bob = KeyPair.generate(random, CURVE);
  final KeyPair carol = KeyPair.generate(random, CURVE);

  @Test
  void aGroupMessageIsWrappedOncePerRecipientAndOnceToSelfWithOneRumorId() {
    Rumor rumor = ChatRumors.chat(alice.publicKey(), List.of(bob.publicKey(), carol.publicKey()),
        "dinner at 8?", NOW, ChatRumors.Options.NONE);
    List<PrivateMessages.Copy> copies = PrivateMessages.wrapForRoom(rumor, alice, giftWrap);
    assertEquals(3, copies.size());
    assertEquals(alice.publicKey(), copies.get(2).recipient(), "the self copy goes last");
    for (KeyPair member : List.of(alice, bob, carol)) {
      PrivateMessages.Copy copy = copies.stream()
          .filter(c -> c.recipient().equals(member.publicKey())).findFirst().orElseThrow();
      Unwrapped opened = assertInstanceOf(Unwrapped.class, new Unwrapper(member, CURVE).unwrap(copy.wrap()));
      assertEquals(rumor.id(), opened.rumor().id());
      assertEquals(ChatRoom.of(rumor), ChatRoom.of(opened.rumor()));
    }
  }

  @Test
  void theRoomIsThePubkeyPlusThePTagsWhateverTheOrder() {
    Rumor fromAlice = ChatRumors.chat(alice.publicKey(), List.of(bob.publicKey(), carol.publicKey()), "a", NOW,
        ChatRumors.Options.NONE);
    Rumor fromCarol = ChatRumors.chat(carol.publicKey(), List.of(bob.publicKey(), alice.publicKey()), "b", NOW,
        ChatRumors.Options.NONE);
    assertEquals(ChatRoom.of(fromAlice), ChatRoom.of(fromCarol));
    assertEquals(ChatRoom.of(fromAlice).id(), ChatRoom.of(fromCarol).id());
    Rumor pair = ChatRumors.chat(alice.publicKey(), List.of(bob.publicKey()), "c", NOW, ChatRumors.Options.NONE);
    assertNotEquals(ChatRoom.of(fromAlice).id(), ChatRoom.of(pair).id());
    assertEquals(Set.of(bob.publicKey(), carol.publicKey()), ChatRoom.of(fromAlice).others(alice.publicKey()));
  }

  @Test
  void anExpiringMessageCarriesItsExpirationOnWrapAndSeal() {
    Rumor rumor = ChatRumors.chat(alice.publicKey(), List.of(bob.publicKey()), "self-destruct", NOW,
        new ChatRumors.Options(Optional.empty(), Optional.empty(), OptionalLong.of(NOW + 60)));
    for (PrivateMessages.Copy copy : PrivateMessages.wrapForRoom(rumor, alice, giftWrap)) {
      assertEquals(Optional.of(Long.toString(NOW + 60)), copy.wrap().tags().first("expiration"));
      KeyPair owner = copy.recipient().equals(alice.publicKey()) ? alice : bob;
      Unwrapped opened = (Unwrapped) new Unwrapper(owner, CURVE).unwrap(copy.wrap());
      assertEquals(Optional.of(Long.toString(NOW + 60)), opened.seal().tags().first("expiration"));
    }
  }

  @Test
  void replySubjectReactionAndDeletionRumorsCarryTheirTags() {
    Rumor first = ChatRumors.chat(alice.publicKey(), List.of(bob.publicKey()), "hi", NOW, ChatRumors.Options.NONE);
    Rumor reply = ChatRumors.chat(bob.publicKey(), List.of(alice.publicKey()), "hello", NOW + 1,
        new ChatRumors.Options(Optional.of(first.id()), Optional.of("plans"), OptionalLong.empty()));
    assertEquals(Optional.of(first.id().hex()), reply.event().tags().first("e"));
    assertEquals(Optional.of("plans"), reply.event().tags().first("subject"));

    Rumor reaction = ChatRumors.reaction(bob.publicKey(), List.of(alice.publicKey()), first.id(),
        alice.publicKey(), "+", NOW + 2);
    assertEquals(7, reaction.event().kind());
    assertEquals(ChatRoom.of(first), ChatRoom.of(reaction));

    Rumor deletion = ChatRumors.deletion(alice.publicKey(), List.of(bob.publicKey()), List.of(first.id()), NOW + 3);
    assertEquals(List.of(first.id()), ChatRumors.deletedIds(deletion));
    assertEquals(ChatRoom.of(first), ChatRoom.of(deletion));
  }

  @Test
  void aFileMessageRoundTripsItsMetadata() {
    FileMetadata file = new FileMetadata("http://127.0.0.1:7447/" + "ab".repeat(32), "image/png", "aes-gcm",
        "11".repeat(32), "22".repeat(12), "ab".repeat(32), "cd".repeat(32), 1234, Optional.of("10x20"),
        List.of("http://127.0.0.1:7448/" + "ab".repeat(32)));
    Rumor rumor = ChatRumors.file(alice.publicKey(), List.of(bob.publicKey()), file, NOW, ChatRumors.Options.NONE);
    assertEquals(15, rumor.event().kind());
    assertEquals(Optional.of(file), ChatRumors.fileMetadata(rumor));
    assertTrue(!file.toString().contains("1111"), "the decryption key must not print");
  }

  @Test
  void deletedIdsIgnoresMalformedTagsAndOtherKinds() {
    Rumor chat = ChatRumors.chat(alice.publicKey(), List.of(bob.publicKey()), "x", NOW, ChatRumors.Options.NONE);
    assertEquals(List.<EventId>of(), ChatRumors.deletedIds(chat));
    PublicKey self = alice.publicKey();
    Rumor noteToSelf = ChatRumors.chat(self, List.of(self), "memo", NOW, ChatRumors.Options.NONE);
    assertEquals(Set.of(self), ChatRoom.of(noteToSelf).members());
    assertEquals(1, PrivateMessages.wrapForRoom(noteToSelf, alice, giftWrap).size());
  }
}
