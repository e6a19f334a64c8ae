package xchat.protocol.crypto;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECFieldElement;
import org.bouncycastle.math.ec.ECMultiplier;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.BigIntegers;

/**
 * BIP-340 Schnorr and x-only ECDH in pure Java on Bouncy Castle: the fallback where
 * libsecp256k1 does not load, and the reference the native backend is tested against.
 *
 * <p>Side channels: {@code k*G} and {@code d*G} use BC's fixed-point comb, whose table lookups
 * scan every entry whatever the scalar. The rest is not constant-time: {@link BigInteger}
 * arithmetic on secret scalars, and the GLV/wNAF variable-base multiply in ECDH. Secret bytes
 * this class derives are zeroed after use, but {@link BigInteger}s cannot be. Prefer
 * {@link NativeSecp256k1} wherever it loads.
 */
public final class BouncyCastleSecp256k1 implements Secp256k1 {

  static final String NAME = "bc";

  private static final X9ECParameters PARAMS = CustomNamedCurves.getByName("secp256k1");
  private static final ECCurve CURVE = PARAMS.getCurve();
  private static final ECPoint G = PARAMS.getG();
  private static final BigInteger N = PARAMS.getN();
  private static final BigInteger P = CURVE.getField().getCharacteristic();
  private static final ECMultiplier BASE_MULTIPLIER = new FixedPointCombMultiplier();

  // BIP-340 tagged hashes: SHA256(SHA256(tag) || SHA256(tag) || x). The 64-byte prefix is one
  // SHA-256 block, so each tag's absorbed state is kept and copied per call.
  private static final SHA256Digest AUX_TAG = taggedHashPrefix("BIP0340/aux");
  private static final SHA256Digest NONCE_TAG = taggedHashPrefix("BIP0340/nonce");
  private static final SHA256Digest CHALLENGE_TAG = taggedHashPrefix("BIP0340/challenge");

  private static final BouncyCastleSecp256k1 INSTANCE = new BouncyCastleSecp256k1();

  private BouncyCastleSecp256k1() {}

  /** The stateless, thread-safe instance. */
  public static BouncyCastleSecp256k1 instance() {
    return INSTANCE;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean isValidSecretKey(byte[] secretKey) {
    if (secretKey == null || secretKey.length != 32) {
      return false;
    }
    BigInteger d = new BigInteger(1, secretKey);
    return d.signum() > 0 && d.compareTo(N) < 0;
  }

  @Override
  public byte[] xOnlyPublicKey(byte[] secretKey) {
    return xBytes(baseMultiply(secretScalar(secretKey)));
  }

  @Override
  public byte[] signSchnorr(byte[] message, byte[] secretKey, byte[] auxRandom) {
    Objects.requireNonNull(message, "message");
    BigInteger d0 = secretScalar(secretKey);
    if (auxRandom == null || auxRandom.length != 32) {
      throw new IllegalArgumentException("auxiliary randomness must be 32 bytes");
    }
    ECPoint publicPoint = baseMultiply(d0);
    BigInteger d = hasEvenY(publicPoint) ? d0 : N.subtract(d0);
    byte[] px = xBytes(publicPoint);

    byte[] masked = BigIntegers.asUnsignedByteArray(32, d);
    byte[] auxHash = taggedHash(AUX_TAG, auxRandom);
    for (int i = 0; i < 32; i++) {
      masked[i] ^= auxHash[i];
    }
    byte[] rand = taggedHash(NONCE_TAG, masked, px, message);
    BigInteger k0 = new BigInteger(1, rand).mod(N);
    Arrays.fill(masked, (byte) 0);
    Arrays.fill(rand, (byte) 0);
    if (k0.signum() == 0) {
      // BIP-340: abort; reaching this needs a SHA-256 preimage of a multiple of n.
      throw new IllegalStateException("BIP-340 nonce is zero");
    }
    ECPoint r = baseMultiply(k0);
    BigInteger k = hasEvenY(r) ? k0 : N.subtract(k0);
    byte[] rx = xBytes(r);
    BigInteger e = challenge(rx, px, message);

    byte[] signature = new byte[64];
    System.arraycopy(rx, 0, signature, 0, 32);
    BigIntegers.asUnsignedByteArray(k.add(e.multiply(d)).mod(N), signature, 32, 32);
    return signature;
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
    ECPoint publicPoint = liftX(xOnlyPublicKey);
    if (publicPoint == null) {
      return false;
    }
    byte[] rx = Arrays.copyOfRange(signature, 0, 32);
    BigInteger r = new BigInteger(1, rx);
    BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature, 32, 64));
    if (r.compareTo(P) >= 0 || s.compareTo(N) >= 0) {
      return false;
    }
    BigInteger e = challenge(rx, xOnlyPublicKey, message);
    ECPoint rPoint =
        ECAlgorithms.sumOfTwoMultiplies(G, s, publicPoint, N.subtract(e).mod(N)).normalize();
    return !rPoint.isInfinity()
        && hasEvenY(rPoint)
        && rPoint.getAffineXCoord().toBigInteger().equals(r);
  }

  @Override
  public byte[] ecdhXOnly(byte[] secretKey, byte[] xOnlyPublicKey) {
    BigInteger d = secretScalar(secretKey);
    ECPoint publicPoint = liftXOrThrow(xOnlyPublicKey);
    // The group has prime order and d is in [1, n-1], so the product is never infinity.
    return xBytes(publicPoint.multiply(d).normalize());
  }

  /** lift_x from BIP-340: the point with x coordinate {@code x} and even y, or null. */
  static ECPoint liftX(byte[] x) {
    BigInteger xValue = new BigInteger(1, x);
    if (xValue.compareTo(P) >= 0) {
      return null;
    }
    ECFieldElement xField = CURVE.fromBigInteger(xValue);
    ECFieldElement ySquared = xField.square().multiply(xField).add(CURVE.getB());
    ECFieldElement y = ySquared.sqrt();
    if (y == null) {
      return null;
    }
    if (y.testBitZero()) {
      y = y.negate();
    }
    return CURVE.createPoint(xValue, y.toBigInteger());
  }

  private static ECPoint liftXOrThrow(byte[] xOnlyPublicKey) {
    if (xOnlyPublicKey == null || xOnlyPublicKey.length != 32) {
      throw new InvalidKeyException("public key must be 32 bytes");
    }
    ECPoint point = liftX(xOnlyPublicKey);
    if (point == null) {
      throw new InvalidKeyException("public key is not an x coordinate on secp256k1");
    }
    return point;
  }

  private static BigInteger secretScalar(byte[] secretKey) {
    if (secretKey == null || secretKey.length != 32) {
      throw new InvalidKeyException("secret key must be 32 bytes");
    }
    BigInteger d = new BigInteger(1, secretKey);
    if (d.signum() == 0 || d.compareTo(N) >= 0) {
      throw new InvalidKeyException("secret key is not in [1, n-1]");
    }
    return d;
  }

  private static ECPoint baseMultiply(BigInteger k) {
    return BASE_MULTIPLIER.multiply(G, k).normalize();
  }

  private static boolean hasEvenY(ECPoint normalized) {
    return !normalized.getAffineYCoord().testBitZero();
  }

  private static byte[] xBytes(ECPoint normalized) {
    return normalized.getAffineXCoord().getEncoded();
  }

  private static BigInteger challenge(byte[] rx, byte[] px, byte[] message) {
    return new BigInteger(1, taggedHash(CHALLENGE_TAG, rx, px, message)).mod(N);
  }

  private static SHA256Digest taggedHashPrefix(String tag) {
    SHA256Digest digest = new SHA256Digest();
    byte[] tagBytes = tag.getBytes(StandardCharsets.US_ASCII);
    digest.update(tagBytes, 0, tagBytes.length);
    byte[] tagHash = new byte[32];
    digest.doFinal(tagHash, 0);
    digest.update(tagHash, 0, 32);
    digest.update(tagHash, 0, 32);
    return digest;
  }

  private static byte[] taggedHash(SHA256Digest prefix, byte[]... parts) {
    SHA256Digest digest = new SHA256Digest(prefix);
    for (byte[] part : parts) {
      digest.update(part, 0, part.length);
    }
    byte[] out = new byte[32];
    digest.doFinal(out, 0);
    return out;
  }
}
