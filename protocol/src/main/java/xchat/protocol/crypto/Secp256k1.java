package xchat.protocol.crypto;

/**
 * The secp256k1 operations Nostr needs: BIP-340 Schnorr and x-only ECDH.
 *
 * <p>All keys are raw bytes: secret keys are 32 bytes, public keys are 32-byte x-only coordinates,
 * signatures are 64 bytes. Implementations are thread-safe and never keep the secret keys they
 * are given. Two backends exist and must agree bit for bit: {@link NativeSecp256k1}
 * (libsecp256k1, the default) and {@link BouncyCastleSecp256k1} (pure Java, the fallback).
 */
public interface Secp256k1 {

  /**
   * The process-wide backend: libsecp256k1 when it loads, Bouncy Castle otherwise. The system
   * property {@value Secp256k1Backends#PROPERTY} ({@code native} or {@code bc}) forces one.
   *
   * @see Secp256k1Backends#defaultBackend()
   */
  static Secp256k1 defaultBackend() {
    return Secp256k1Backends.defaultBackend();
  }

  /** Name of the backend ({@code native} or {@code bc}), for benchmarks and diagnostics. */
  String name();

  /** True when {@code secretKey} is 32 bytes and in [1, n-1]; false for null. */
  boolean isValidSecretKey(byte[] secretKey);

  /**
   * The BIP-340 x-only public key of a valid secret key.
   *
   * @throws InvalidKeyException when the secret key is not valid
   */
  byte[] xOnlyPublicKey(byte[] secretKey);

  /**
   * BIP-340 signature of {@code message} (any length) with 32 bytes of auxiliary randomness.
   *
   * @throws InvalidKeyException when the secret key is not valid
   * @throws IllegalArgumentException when {@code auxRandom} is not 32 bytes
   */
  byte[] signSchnorr(byte[] message, byte[] secretKey, byte[] auxRandom);

  /** BIP-340 verification; false (never an exception) for any malformed input, null included. */
  boolean verifySchnorr(byte[] signature, byte[] message, byte[] xOnlyPublicKey);

  /**
   * The 32-byte x coordinate of {@code secretKey * lift_x(xOnlyPublicKey)}, unhashed, as NIP-44
   * uses it for its conversation key.
   *
   * @throws InvalidKeyException when the public key is not on the curve or the secret is invalid
   */
  byte[] ecdhXOnly(byte[] secretKey, byte[] xOnlyPublicKey);
}
