package xchat.protocol.nip44;

import java.math.BigInteger;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECPoint;
import xchat.protocol.crypto.InvalidKeyException;
import xchat.protocol.crypto.Secp256k1;

/**
 * Test double: x-only public keys and unhashed x-only ECDH on Bouncy Castle's secp256k1, so the
 * NIP-44 tests do not depend on the production backends. Signing is not implemented.
 */
final class TestCurve implements Secp256k1 {
  private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
  private static final BigInteger N = CURVE.getN();

  @Override
  public String name() {
    return "bouncy-castle-test-double";
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
    return xBytes(CURVE.getG().multiply(scalar(secretKey)));
  }

  @Override
  public byte[] signSchnorr(byte[] message, byte[] secretKey, byte[] auxRandom) {
    throw new UnsupportedOperationException("test double: ECDH only");
  }

  @Override
  public boolean verifySchnorr(byte[] signature, byte[] message, byte[] xOnlyPublicKey) {
    throw new UnsupportedOperationException("test double: ECDH only");
  }

  @Override
  public byte[] ecdhXOnly(byte[] secretKey, byte[] xOnlyPublicKey) {
    BigInteger d = scalar(secretKey);
    return xBytes(liftX(xOnlyPublicKey).multiply(d));
  }

  private static BigInteger scalar(byte[] secretKey) {
    if (!new TestCurve().isValidSecretKey(secretKey)) {
      throw new InvalidKeyException("secret key out of range");
    }
    return new BigInteger(1, secretKey);
  }

  /** BIP-340 lift_x: the point with this x and an even y; fails off the curve or for x >= p. */
  private static ECPoint liftX(byte[] x) {
    if (x == null || x.length != 32) {
      throw new InvalidKeyException("public key must be 32 bytes");
    }
    byte[] compressed = new byte[33];
    compressed[0] = 0x02;
    System.arraycopy(x, 0, compressed, 1, 32);
    try {
      ECPoint point = CURVE.getCurve().decodePoint(compressed);
      if (!point.isValid()) {
        throw new InvalidKeyException("public key is not on the curve");
      }
      return point;
    } catch (IllegalArgumentException e) {
      if (e instanceof InvalidKeyException invalid) {
        throw invalid;
      }
      throw new InvalidKeyException("public key is not on the curve");
    }
  }

  private static byte[] xBytes(ECPoint point) {
    ECPoint normalized = point.normalize();
    if (normalized.isInfinity()) {
      throw new InvalidKeyException("point at infinity");
    }
    return normalized.getAffineXCoord().getEncoded();
  }
}
