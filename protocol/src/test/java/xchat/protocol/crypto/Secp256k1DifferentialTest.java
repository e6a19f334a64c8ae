package xchat.protocol.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.bouncycastle.util.BigIntegers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import xchat.protocol.hex.Hex;

/**
 * Native and Bouncy Castle backends must agree bit for bit on random inputs. The seed is random
 * per run unless {@code -Dxchat.test.seed=S} fixes it; every failure message carries it.
 */
class Secp256k1DifferentialTest {

  private static final int ROUNDS = 3000;
  private static final BigInteger N =
      new BigInteger("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", 16);

  private static final String REJECTED = "rejected";

  private final long seed = Long.getLong("xchat.test.seed", ThreadLocalRandom.current().nextLong());
  private final Secp256k1 nativeBackend = TestBackends.nativeBackend();
  private final Secp256k1 bc = TestBackends.bouncyCastle();

  @Test
  void publicKeysAndSignaturesAreIdenticalAndCrossVerify() {
    Random random = new Random(seed);
    for (int round = 0; round < ROUNDS; round++) {
      String context = context(round);
      byte[] secretKey = randomSecretKey(random);
      byte[] message = randomMessage(random);
      byte[] aux = randomBytes(random, 32);

      byte[] publicKey = nativeBackend.xOnlyPublicKey(secretKey);
      assertEquals(Hex.encode(publicKey), Hex.encode(bc.xOnlyPublicKey(secretKey)), context);

      byte[] nativeSignature = nativeBackend.signSchnorr(message, secretKey, aux);
      byte[] bcSignature = bc.signSchnorr(message, secretKey, aux);
      assertEquals(Hex.encode(nativeSignature), Hex.encode(bcSignature), context);
      assertTrue(bc.verifySchnorr(nativeSignature, message, publicKey), context);
      assertTrue(nativeBackend.verifySchnorr(bcSignature, message, publicKey), context);
    }
  }

  @Test
  void ecdhAgreesAcrossBackendsAndIsSymmetric() {
    Random random = new Random(seed);
    for (int round = 0; round < ROUNDS; round++) {
      String context = context(round);
      byte[] mine = randomSecretKey(random);
      byte[] theirs = randomSecretKey(random);
      byte[] theirPublicKey = nativeBackend.xOnlyPublicKey(theirs);

      String nativeShared = Hex.encode(nativeBackend.ecdhXOnly(mine, theirPublicKey));
      assertEquals(nativeShared, Hex.encode(bc.ecdhXOnly(mine, theirPublicKey)), context);
      // NIP-44 conversation keys must match from both ends.
      assertEquals(
          nativeShared,
          Hex.encode(nativeBackend.ecdhXOnly(theirs, nativeBackend.xOnlyPublicKey(mine))),
          context);
    }
  }

  @Test
  void tamperedSignaturesMessagesAndKeysGetTheSameFalseVerdict() {
    Random random = new Random(seed);
    for (int round = 0; round < ROUNDS; round++) {
      String context = context(round);
      byte[] secretKey = randomSecretKey(random);
      byte[] message = randomMessage(random);
      byte[] publicKey = bc.xOnlyPublicKey(secretKey);
      byte[] signature = bc.signSchnorr(message, secretKey, randomBytes(random, 32));

      byte[] badSignature = flipRandomBit(random, signature);
      assertSameVerdict(false, badSignature, message, publicKey, context + " tampered signature");

      byte[] badMessage =
          message.length == 0 ? new byte[] {(byte) random.nextInt()} : flipRandomBit(random, message);
      assertSameVerdict(false, signature, badMessage, publicKey, context + " tampered message");

      // A flipped key bit often leaves the curve; both must then say false, not throw.
      byte[] badKey = flipRandomBit(random, publicKey);
      assertSameVerdict(false, signature, message, badKey, context + " tampered public key");

      assertSameVerdict(
          false, randomBytes(random, 64), message, publicKey, context + " random signature");
    }
  }

  @Test
  void randomXCoordinatesAreAcceptedOrRejectedAlike() {
    Random random = new Random(seed);
    int onCurve = 0;
    for (int round = 0; round < ROUNDS; round++) {
      String context = context(round);
      byte[] secretKey = randomSecretKey(random);
      byte[] x = randomBytes(random, 32);
      String nativeOutcome = ecdhOutcome(() -> nativeBackend.ecdhXOnly(secretKey, x));
      String bcOutcome = ecdhOutcome(() -> bc.ecdhXOnly(secretKey, x));
      assertEquals(nativeOutcome, bcOutcome, context + " x=" + Hex.encode(x));
      if (!nativeOutcome.equals(REJECTED)) {
        onCurve++;
      }
    }
    // About half of all x coordinates are on the curve; both branches must have been exercised.
    assertTrue(onCurve > ROUNDS / 3 && onCurve < 2 * ROUNDS / 3, "seed=" + seed + " on=" + onCurve);
  }

  @ParameterizedTest(name = "secret key n-{0}")
  @ValueSource(ints = {1, 2, 3})
  void scalarsNearTheGroupOrderAgree(int belowOrder) {
    byte[] high = BigIntegers.asUnsignedByteArray(32, N.subtract(BigInteger.valueOf(belowOrder)));
    byte[] low = BigIntegers.asUnsignedByteArray(32, BigInteger.valueOf(belowOrder));
    for (byte[] secretKey : List.of(high, low)) {
      byte[] publicKey = bc.xOnlyPublicKey(secretKey);
      assertEquals(Hex.encode(publicKey), Hex.encode(nativeBackend.xOnlyPublicKey(secretKey)));
      byte[] message = new byte[32];
      byte[] aux = new byte[32];
      byte[] signature = bc.signSchnorr(message, secretKey, aux);
      assertEquals(
          Hex.encode(signature), Hex.encode(nativeBackend.signSchnorr(message, secretKey, aux)));
      assertEquals(
          Hex.encode(bc.ecdhXOnly(secretKey, publicKey)),
          Hex.encode(nativeBackend.ecdhXOnly(secretKey, publicKey)));
    }
    // k and n-k share an x-only public key: BIP-340 negates the odd-y one.
    assertEquals(Hex.encode(bc.xOnlyPublicKey(high)), Hex.encode(bc.xOnlyPublicKey(low)));
  }

  private void assertSameVerdict(
      boolean expected, byte[] signature, byte[] message, byte[] publicKey, String context) {
    boolean nativeVerdict = nativeBackend.verifySchnorr(signature, message, publicKey);
    assertEquals(nativeVerdict, bc.verifySchnorr(signature, message, publicKey), context);
    assertEquals(expected, nativeVerdict, context);
  }

  private String context(int round) {
    return "seed=" + seed + " round=" + round;
  }

  private byte[] randomSecretKey(Random random) {
    byte[] key;
    do {
      key = randomBytes(random, 32);
    } while (!bc.isValidSecretKey(key));
    return key;
  }

  /** Mostly 32 bytes (the native path); otherwise 0..100 bytes (the any-length path). */
  private static byte[] randomMessage(Random random) {
    int length = random.nextInt(4) == 0 ? random.nextInt(101) : 32;
    return randomBytes(random, length);
  }

  private static byte[] randomBytes(Random random, int length) {
    byte[] bytes = new byte[length];
    random.nextBytes(bytes);
    return bytes;
  }

  private static byte[] flipRandomBit(Random random, byte[] input) {
    byte[] copy = input.clone();
    int bit = random.nextInt(copy.length * 8);
    copy[bit / 8] ^= (byte) (1 << (bit % 8));
    return copy;
  }

  /** The shared x in hex, or {@link #REJECTED}: equal when both backends behaved alike. */
  private static String ecdhOutcome(Supplier<byte[]> ecdh) {
    try {
      return Hex.encode(ecdh.get());
    } catch (InvalidKeyException notOnCurve) {
      return REJECTED;
    }
  }
}
