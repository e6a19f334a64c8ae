package xchat.relay.blossom;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import xchat.protocol.blossom.BlossomAuth;
import xchat.protocol.blossom.BlossomVerb;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.hex.Hex;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.keys.SecretKey;

/** Deterministic keys and authorization headers for the Blossom tests. */
final class BlossomTestKeys {
  static final Secp256k1 CURVE = Secp256k1.defaultBackend();
  static final long NOW = 1_700_000_000L;

  private BlossomTestKeys() {}

  static KeyPair keys(String label) {
    return KeyPair.of(
        SecretKey.of(
            sha256Bytes(("xchat test key " + label).getBytes(StandardCharsets.UTF_8)), CURVE),
        CURVE);
  }

  static String auth(
      KeyPair keys, BlossomVerb verb, List<String> blobs, long createdAt, long expiresAt) {
    NostrEvent event =
        BlossomAuth.create(
            keys,
            CURVE,
            verb,
            blobs,
            verb.tagValue() + " blob",
            createdAt,
            expiresAt,
            new byte[32]);
    return BlossomAuth.authorizationHeader(event);
  }

  static String auth(KeyPair keys, BlossomVerb verb, String... blobs) {
    return auth(keys, verb, List.of(blobs), NOW - 1, NOW + 300);
  }

  static byte[] sha256Bytes(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sha256(byte[] data) {
    return Hex.encode(sha256Bytes(data));
  }
}
