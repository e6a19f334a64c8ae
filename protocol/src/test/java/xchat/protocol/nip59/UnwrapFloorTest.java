package xchat.protocol.nip59;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.crypto.Secp256k1Backends;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.Rumor;
import xchat.protocol.event.Tags;
import xchat.protocol.event.UnsignedEvent;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.nip44.Nip44Exception;

class UnwrapFloorTest {
  static final Secp256k1 CURVE = Secp256k1Backends.defaultBackend();
  static final long NOW = 1_760_000_000L;
  static final long SEED = 61L;

  final Random random = new Random(SEED);
  final GiftWrap giftWrap = new GiftWrap(CURVE, random, () -> NOW);
  final KeyPair alice = KeyPair.generate(random, CURVE);
  final KeyPair bob = KeyPair.generate(random, CURVE);

  private NostrEvent wrapTo(KeyPair recipient, String text) {
    Rumor rumor = Rumor.of(new UnsignedEvent(alice.publicKey(), NOW, 14, Tags.EMPTY, text));
    return giftWrap.sealAndWrap(rumor, alice, recipient.publicKey(), List.of());
  }

  @Test
  void opensEveryWrapForItsRecipient() throws Exception {
    List<NostrEvent> wraps = List.of(wrapTo(bob, "one"), wrapTo(bob, "two"));
    UnwrapFloor floor = UnwrapFloor.prepare(wraps, bob, CURVE);
    assertEquals(2, floor.size(), "seed " + SEED);
    floor.open(0);
    floor.open(1);
    floor.wipe();
  }

  @Test
  void refusesToPrepareWrapsForSomeoneElse() {
    List<NostrEvent> wraps = List.of(wrapTo(alice, "not for bob"));
    assertThrows(Nip44Exception.class, () -> UnwrapFloor.prepare(wraps, bob, CURVE), "seed " + SEED);
  }
}
