package xchat.protocol.event;

import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.keys.PublicKey;

/**
 * A NIP-01 event whose id is the hash of its canonical form. The signature is well-formed but is
 * checked only by {@link #hasValidSignature}, because verification costs a curve operation.
 */
public record NostrEvent(
    EventId id,
    PublicKey pubkey,
    long createdAt,
    int kind,
    Tags tags,
    String content,
    Signature sig) {

  public NostrEvent {
    requireFields(id, pubkey, sig);
    WellFormed.requireValid(createdAt, kind, tags, content);
    if (!id.equals(CanonicalJson.id(pubkey, createdAt, kind, tags, content))) {
      throw new IllegalArgumentException("id is not the hash of the canonical serialisation");
    }
  }

  public boolean hasValidSignature(Secp256k1 curve) {
    return curve.verifySchnorr(sig.bytes(), id.unsafeBytes(), pubkey.bytes());
  }

  public UnsignedEvent unsigned() {
    return new UnsignedEvent(pubkey, createdAt, kind, tags, content);
  }

  /** NIP-01 kind ranges. */
  public boolean isReplaceable() {
    return kind == 0 || kind == 3 || (kind >= 10000 && kind < 20000);
  }

  public boolean isEphemeral() {
    return kind >= 20000 && kind < 30000;
  }

  public boolean isAddressable() {
    return kind >= 30000 && kind < 40000;
  }

  private static void requireFields(EventId id, PublicKey pubkey, Signature sig) {
    if (id == null || pubkey == null || sig == null) {
      throw new IllegalArgumentException("id, pubkey and sig are required");
    }
  }
}
