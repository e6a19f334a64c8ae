package xchat.protocol.crypto;

/**
 * The secp256k1 operations Nostr needs: BIP-340 Schnorr and x-only ECDH.
 *
 * <p>All keys are raw bytes: secret keys are 32 bytes, public keys are 32-byte x-only coordinates,
 * signatures are 64 bytes. Implementations are thread-safe and never keep the secret keys they
 * are given.
 */
public interface Secp256k1 {

  /** Name of the backend, for benchmarks and diagnostics. */
  String name();

  /** True when {@code secretKey} is 32 bytes and in [1, n-1]. */
  boolean isValidSecretKey(byte[] secretKey);

  /** The BIP-340 x-only public key of a valid secret key. */
  byte[] xOnlyPublicKey(byte[] secretKey);

  /** BIP-340 signature of {@code message} (any length) with 32 bytes of auxiliary randomness. */
  byte[] signSchnorr(byte[] message, byte[] secretKey, byte[] auxRandom);

  /** BIP-340 verification; false (never an exception) for any malformed input. */
  boolean verifySchnorr(byte[] signature, byte[] message, byte[] xOnlyPublicKey);

  /**
   * The 32-byte x coordinate of {@code secretKey * lift_x(xOnlyPublicKey)}, unhashed, as NIP-44
   * uses it for its conversation key.
   *
   * @throws InvalidKeyException when the public key is not on the curve or the secret is invalid
   */
  byte[] ecdhXOnly(byte[] secretKey, byte[] xOnlyPublicKey);
}
