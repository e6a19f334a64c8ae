package xchat.protocol.event;

import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.keys.PublicKey;

/** An event before signing. NIP-59 rumors are unsigned events that keep their id. */
public record UnsignedEvent(PublicKey pubkey, long createdAt, int kind, Tags tags, String content) {

  public UnsignedEvent {
    if (pubkey == null) {
      throw new IllegalArgumentException("pubkey must not be null");
    }
    WellFormed.requireValid(createdAt, kind, tags, content);
  }

  public EventId id() {
    return CanonicalJson.id(pubkey, createdAt, kind, tags, content);
  }

  /** Signs with BIP-340; {@code auxRandom} is 32 bytes of fresh randomness. */
  public NostrEvent sign(KeyPair keys, Secp256k1 curve, byte[] auxRandom) {
    if (!keys.publicKey().equals(pubkey)) {
      throw new IllegalArgumentException("signing key does not match the event pubkey");
    }
    EventId id = id();
    byte[] secret = keys.secretKey().bytes();
    try {
      Signature sig = new Signature(curve.signSchnorr(id.unsafeBytes(), secret, auxRandom));
      return new NostrEvent(id, pubkey, createdAt, kind, tags, content, sig);
    } finally {
      java.util.Arrays.fill(secret, (byte) 0);
    }
  }

  public UnsignedEvent withCreatedAt(long newCreatedAt) {
    return new UnsignedEvent(pubkey, newCreatedAt, kind, tags, content);
  }
}
