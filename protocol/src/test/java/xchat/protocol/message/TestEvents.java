package xchat.protocol.message;

import java.nio.charset.StandardCharsets;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.crypto.Secp256k1Backends;
import xchat.protocol.event.CanonicalJson;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.Tag;
import xchat.protocol.event.Tags;
import xchat.protocol.event.UnsignedEvent;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.keys.SecretKey;

/** Deterministic keys and signed events for protocol tests: no random source at all. */
public final class TestEvents {
  public static final Secp256k1 CURVE = Secp256k1Backends.defaultBackend();

  private TestEvents() {}

  /** A key pair derived from a label, so each test names its actors. */
  public static KeyPair keys(String label) {
    byte[] secret = CanonicalJson.sha256(("xchat test key " + label).getBytes(StandardCharsets.UTF_8));
    return KeyPair.of(SecretKey.of(secret, CURVE), CURVE);
  }

  public static NostrEvent sign(KeyPair keys, UnsignedEvent event) {
    byte[] aux = CanonicalJson.sha256(event.id().bytes());
    return event.sign(keys, CURVE, aux);
  }

  public static NostrEvent event(KeyPair keys, long createdAt, int kind, String content, Tag... tags) {
    return sign(keys, new UnsignedEvent(keys.publicKey(), createdAt, kind, Tags.of(tags), content));
  }
}
