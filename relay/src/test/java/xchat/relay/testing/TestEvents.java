package xchat.relay.testing;

import java.util.List;
import java.util.SplittableRandom;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.Tag;
import xchat.protocol.event.Tags;
import xchat.protocol.event.UnsignedEvent;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.keys.PublicKey;
import xchat.protocol.nip42.AuthEvent;

/** Signed events from seeded keys; the seed goes in every assertion message. */
public final class TestEvents {
  public static final Secp256k1 CURVE = Secp256k1.defaultBackend();

  private final long seed;
  private final SplittableRandom random;

  public TestEvents(long seed) {
    this.seed = seed;
    this.random = new SplittableRandom(seed);
  }

  public long seed() {
    return seed;
  }

  /** For assertion messages. */
  public String why(String what) {
    return what + " (seed " + seed + ")";
  }

  public KeyPair keys() {
    return KeyPair.generate(random, CURVE);
  }

  public NostrEvent event(KeyPair keys, int kind, long createdAt, List<Tag> tags, String content) {
    return new UnsignedEvent(keys.publicKey(), createdAt, kind, new Tags(tags), content)
        .sign(keys, CURVE, aux());
  }

  public NostrEvent note(KeyPair keys, long createdAt, String content) {
    return event(keys, 1, createdAt, List.of(), content);
  }

  public NostrEvent auth(KeyPair keys, String relayUrl, String challenge, long createdAt) {
    return AuthEvent.create(keys, CURVE, relayUrl, challenge, createdAt, aux());
  }

  public static Tag p(PublicKey key) {
    return Tag.of("p", key.hex());
  }

  public static Tag e(NostrEvent event) {
    return Tag.of("e", event.id().hex());
  }

  private byte[] aux() {
    byte[] aux = new byte[32];
    random.nextBytes(aux);
    return aux;
  }
}
