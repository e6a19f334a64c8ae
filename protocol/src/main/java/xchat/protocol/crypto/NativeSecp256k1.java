package xchat.protocol.crypto;

import fr.acinq.secp256k1.Secp256k1Exception;
import java.util.Arrays;
import java.util.Objects;

/**
 * libsecp256k1 through ACINQ secp256k1-kmp's JNI binding: the fast, constant-time default.
 *
 * <p>The binding's {@code signSchnorr} and {@code verifySchnorr} only take 32-byte messages
 * (secp256k1-kmp 0.17.3 throws "message must be 32 bytes"; it does not expose
 * {@code secp256k1_schnorrsig_sign_custom}). BIP-340 allows any length (vectors 15-18), so
 * other lengths go to {@link BouncyCastleSecp256k1}. Nostr ids and NIP-42/59 payloads are all
 * 32-byte hashes, so the fallback is off the hot path.
 */
public final class NativeSecp256k1 implements Secp256k1 {

  static final String NAME = "native";

  private static final byte[] ONE = scalarOne();

  private final fr.acinq.secp256k1.Secp256k1 lib;
  private final BouncyCastleSecp256k1 anyLengthFallback;

  private NativeSecp256k1(fr.acinq.secp256k1.Secp256k1 lib) {
    this.lib = lib;
    this.anyLengthFallback = BouncyCastleSecp256k1.instance();
  }

  /**
   * Loads the JNI library and checks that it computes the generator.
   *
   * @throws UnavailableException when the library does not load on this platform or misbehaves
   */
  public static NativeSecp256k1 load() {
    byte[] generatorX = BouncyCastleSecp256k1.instance().xOnlyPublicKey(ONE);
    NativeSecp256k1 backend;
    boolean computesGenerator;
    try {
      backend = new NativeSecp256k1(fr.acinq.secp256k1.Secp256k1.Companion.get());
      // 1*G: a wrong or corrupt library fails here, not in the middle of a signature.
      computesGenerator = Arrays.equals(backend.xOnlyPublicKey(ONE), generatorX);
    } catch (LinkageError | RuntimeException e) {
      // A failed load surfaces as ExceptionInInitializerError the first time, as
      // NoClassDefFoundError afterwards, and as UnsatisfiedLinkError without the native jar.
      throw new UnavailableException("libsecp256k1 JNI library did not load", e);
    }
    if (!computesGenerator) {
      throw new UnavailableException("libsecp256k1 failed its self-test", null);
    }
    return backend;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean isValidSecretKey(byte[] secretKey) {
    return secretKey != null && secretKey.length == 32 && lib.secKeyVerify(secretKey);
  }

  @Override
  public byte[] xOnlyPublicKey(byte[] secretKey) {
    requireValidSecretKey(secretKey);
    // pubkeyCreate returns the 65-byte uncompressed encoding 04 || x || y.
    return Arrays.copyOfRange(lib.pubkeyCreate(secretKey), 1, 33);
  }

  @Override
  public byte[] signSchnorr(byte[] message, byte[] secretKey, byte[] auxRandom) {
    Objects.requireNonNull(message, "message");
    requireValidSecretKey(secretKey);
    if (auxRandom == null || auxRandom.length != 32) {
      // A null aux makes libsecp256k1 skip the BIP-340 masking step: a different nonce.
      throw new IllegalArgumentException("auxiliary randomness must be 32 bytes");
    }
    if (message.length != 32) {
      return anyLengthFallback.signSchnorr(message, secretKey, auxRandom);
    }
    return lib.signSchnorr(message, secretKey, auxRandom);
  }

  @Override
  public boolean verifySchnorr(byte[] signature, byte[] message, byte[] xOnlyPublicKey) {
    if (signature == null
        || message == null
        || xOnlyPublicKey == null
        || signature.length != 64
        || xOnlyPublicKey.length != 32) {
      return false;
    }
    if (message.length != 32) {
      return anyLengthFallback.verifySchnorr(signature, message, xOnlyPublicKey);
    }
    try {
      return lib.verifySchnorr(signature, message, xOnlyPublicKey);
    } catch (Secp256k1Exception notOnCurve) {
      // Lengths are checked above; the binding throws only when the key fails to parse.
      return false;
    }
  }

  @Override
  public byte[] ecdhXOnly(byte[] secretKey, byte[] xOnlyPublicKey) {
    requireValidSecretKey(secretKey);
    if (xOnlyPublicKey == null || xOnlyPublicKey.length != 32) {
      throw new InvalidKeyException("public key must be 32 bytes");
    }
    // lift_x is the even-y point, i.e. the compressed encoding 02 || x. secp256k1_ecdh would
    // hash the result; NIP-44 needs the bare x, so multiply with the constant-time tweak_mul.
    byte[] compressed = new byte[33];
    compressed[0] = 0x02;
    System.arraycopy(xOnlyPublicKey, 0, compressed, 1, 32);
    byte[] shared;
    try {
      shared = lib.pubKeyTweakMul(compressed, secretKey);
    } catch (Secp256k1Exception e) {
      throw new InvalidKeyException("public key is not an x coordinate on secp256k1", e);
    }
    byte[] x = Arrays.copyOfRange(shared, 1, 33);
    Arrays.fill(shared, (byte) 0);
    return x;
  }

  private void requireValidSecretKey(byte[] secretKey) {
    if (secretKey == null || secretKey.length != 32) {
      throw new InvalidKeyException("secret key must be 32 bytes");
    }
    if (!lib.secKeyVerify(secretKey)) {
      throw new InvalidKeyException("secret key is not in [1, n-1]");
    }
  }

  private static byte[] scalarOne() {
    byte[] one = new byte[32];
    one[31] = 1;
    return one;
  }

  /** The native library is missing for this platform, failed to link, or failed its self-test. */
  public static final class UnavailableException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    UnavailableException(String reason, Throwable cause) {
      super(reason, cause);
    }
  }
}
