package xchat.protocol.blossom;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.event.EventJson;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.Tag;
import xchat.protocol.event.Tags;
import xchat.protocol.event.UnsignedEvent;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.keys.PublicKey;
import xchat.protocol.nip40.Expiration;

/**
 * Builds BUD-01 kind-24242 authorization events and the {@code Authorization: Nostr <base64>}
 * header that carries them. Events are not scoped to a server (BUD-01), so one signed event can be
 * sent to every server of a list.
 */
public final class BlossomAuth {
  public static final int KIND = 24242;

  /** The HTTP authorization scheme BUD-01 names. */
  public static final String SCHEME = "Nostr";

  private BlossomAuth() {}

  /**
   * Tags {@code ["t", verb]}, one {@code ["x", sha256]} per blob, then {@code ["expiration",
   * expiresAt]}; {@code description} becomes the human-readable content BUD-01 asks for.
   */
  public static UnsignedEvent unsigned(
      PublicKey pubkey,
      BlossomVerb verb,
      Collection<String> blobSha256s,
      String description,
      long createdAt,
      long expiresAt) {
    if (verb == null || blobSha256s == null || description == null) {
      throw new IllegalArgumentException("verb, blob hashes and description are required");
    }
    if (verb.requiresBlobHash() && blobSha256s.isEmpty()) {
      throw new IllegalArgumentException("BUD-02: " + verb.tagValue() + " needs an x tag");
    }
    if (expiresAt <= createdAt) {
      throw new IllegalArgumentException("expiration must come after created_at");
    }
    List<Tag> tags = new ArrayList<>(blobSha256s.size() + 2);
    tags.add(Tag.of("t", verb.tagValue()));
    for (String sha256 : blobSha256s) {
      tags.add(Tag.of("x", Sha256Hex.require(sha256, "x")));
    }
    tags.add(Expiration.tag(expiresAt));
    return new UnsignedEvent(pubkey, createdAt, KIND, new Tags(tags), description);
  }

  /** {@code auxRandom} is 32 fresh random bytes for BIP-340. */
  public static NostrEvent create(
      KeyPair keys,
      Secp256k1 curve,
      BlossomVerb verb,
      Collection<String> blobSha256s,
      String description,
      long createdAt,
      long expiresAt,
      byte[] auxRandom) {
    return unsigned(keys.publicKey(), verb, blobSha256s, description, createdAt, expiresAt)
        .sign(keys, curve, auxRandom);
  }

  /** {@code Nostr <base64 of the event JSON>}, standard alphabet with padding as in BUD-01. */
  public static String authorizationHeader(NostrEvent event) {
    byte[] json = EventJson.toJson(event).getBytes(StandardCharsets.UTF_8);
    return SCHEME + " " + Base64.getEncoder().encodeToString(json);
  }
}
