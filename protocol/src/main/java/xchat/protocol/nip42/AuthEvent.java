package xchat.protocol.nip42;

import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.Tag;
import xchat.protocol.event.Tags;
import xchat.protocol.event.UnsignedEvent;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.keys.PublicKey;

/** Builds the NIP-42 kind-22242 event a client sends in {@code ["AUTH", <event>]}. */
public final class AuthEvent {
  public static final int KIND = 22242;

  private AuthEvent() {}

  /** Tags {@code ["relay", relayUrl]} and {@code ["challenge", challenge]}, empty content. */
  public static UnsignedEvent unsigned(
      PublicKey pubkey, String relayUrl, String challenge, long createdAt) {
    if (relayUrl == null || challenge == null) {
      throw new IllegalArgumentException("relay URL and challenge are required");
    }
    Tags tags = Tags.of(Tag.of("relay", relayUrl), Tag.of("challenge", challenge));
    return new UnsignedEvent(pubkey, createdAt, KIND, tags, "");
  }

  /** {@code createdAt} should be the current time; {@code auxRandom} is 32 fresh random bytes. */
  public static NostrEvent create(
      KeyPair keys,
      Secp256k1 curve,
      String relayUrl,
      String challenge,
      long createdAt,
      byte[] auxRandom) {
    return unsigned(keys.publicKey(), relayUrl, challenge, createdAt)
        .sign(keys, curve, auxRandom);
  }
}
