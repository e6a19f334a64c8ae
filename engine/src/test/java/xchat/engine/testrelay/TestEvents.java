package xchat.engine.testrelay;

import java.util.Random;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.Tag;
import xchat.protocol.event.Tags;
import xchat.protocol.event.UnsignedEvent;
import xchat.protocol.keys.KeyPair;

/** Signed events for tests, from a seeded random source. */
public final class TestEvents {
  public final Secp256k1 curve = Secp256k1.defaultBackend();
  public final long seed;
  private final Random random;
  public final KeyPair keys;

  public TestEvents(long seed) {
    this.seed = seed;
    this.random = new Random(seed);
    this.keys = KeyPair.generate(random, curve);
  }

  public KeyPair newKeys() {
    return KeyPair.generate(random, curve);
  }

  /** A kind-1 note. */
  public NostrEvent note(long createdAt, String content) {
    return sign(new UnsignedEvent(keys.publicKey(), createdAt, 1, Tags.EMPTY, content));
  }

  /** A kind-1059-shaped event addressed to {@code recipientHex}. */
  public NostrEvent wrap(long createdAt, String recipientHex, String content) {
    return sign(new UnsignedEvent(keys.publicKey(), createdAt, 1059,
        Tags.of(Tag.of("p", recipientHex)), content));
  }

  private NostrEvent sign(UnsignedEvent unsigned) {
    byte[] aux = new byte[32];
    random.nextBytes(aux);
    return unsigned.sign(keys, curve, aux);
  }

  public static long now() {
    return System.currentTimeMillis() / 1000;
  }
}
