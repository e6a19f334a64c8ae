package xchat.protocol.crypto;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import xchat.protocol.hex.Hex;

/** Every backend rejects malformed keys with InvalidKeyException and malformed signatures with false. */
class Secp256k1InvalidInputTest {

  private static final byte[] VALID_SECRET =
      Hex.decode("0340034003400340034003400340034003400340034003400340034003400340");
  private static final byte[] MESSAGE = new byte[32];
  private static final byte[] AUX = new byte[32];

  static Stream<Arguments> invalidSecretKeys() {
    return cross(
        List.of(
            named("zero", hex("0000000000000000000000000000000000000000000000000000000000000000")),
            named("n", hex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")),
            named("n+1", hex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364142")),
            named("all ff", hex("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")),
            named("31 bytes", Arrays.copyOf(VALID_SECRET, 31)),
            named("33 bytes", Arrays.copyOf(VALID_SECRET, 33)),
            named("empty", new byte[0]),
            named("null", null)));
  }

  static Stream<Arguments> invalidPublicKeys() {
    return cross(
        List.of(
            // BIP-340 vector 5: x with no square root for y.
            named("x not on curve", hex("eefdea4cdb677750a420fee807eacf21eb9898ae79b9768766e4faa04a2d4a34")),
            named("x = p", hex("fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f")),
            // BIP-340 vector 14: x exceeds the field size.
            named("x = p+1", hex("fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc30")),
            named("all ff", hex("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")),
            // nip44.vectors.json v2.invalid.get_conversation_key: points on the quadratic twist.
            named("x = 0, order 3 on twist", new byte[32]),
            named("order 13 on twist", hex("eb1f7200aecaa86682376fb1c13cd12b732221e774f553b0a0857f88fa20f86d")),
            named("order 3319 on twist", hex("709858a4c121e4a84eb59c0ded0261093c71e8ca29efeef21a6161c447bcaf9f")),
            named("nip44 no sqrt", hex("1234567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef")),
            named("31 bytes", new byte[31]),
            named("33-byte compressed point", compressed(TestBackends.bouncyCastle().xOnlyPublicKey(VALID_SECRET))),
            named("null", null)));
  }

  static Stream<Arguments> malformedSignatures() {
    byte[] valid = TestBackends.bouncyCastle().signSchnorr(MESSAGE, VALID_SECRET, AUX);
    return cross(
        List.of(
            named("63 bytes", Arrays.copyOf(valid, 63)),
            named("65 bytes", Arrays.copyOf(valid, 65)),
            named("empty", new byte[0]),
            named("null", null)));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("invalidSecretKeys")
  void rejectsInvalidSecretKeysWithoutLeakingThem(String backendName, NamedBytes secretKey) {
    Secp256k1 backend = Secp256k1Backends.select(backendName);
    byte[] peer = backend.xOnlyPublicKey(VALID_SECRET);
    assertFalse(backend.isValidSecretKey(secretKey.bytes));
    assertRejectsWithoutLeaking(secretKey, () -> backend.xOnlyPublicKey(secretKey.bytes));
    assertRejectsWithoutLeaking(secretKey, () -> backend.signSchnorr(MESSAGE, secretKey.bytes, AUX));
    assertRejectsWithoutLeaking(secretKey, () -> backend.ecdhXOnly(secretKey.bytes, peer));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("invalidPublicKeys")
  void rejectsPublicKeysThatAreNotXCoordinatesOnTheCurve(String backendName, NamedBytes publicKey) {
    Secp256k1 backend = Secp256k1Backends.select(backendName);
    assertRejectsWithoutLeaking(publicKey, () -> backend.ecdhXOnly(VALID_SECRET, publicKey.bytes));
    byte[] signature = backend.signSchnorr(MESSAGE, VALID_SECRET, AUX);
    assertFalse(backend.verifySchnorr(signature, MESSAGE, publicKey.bytes));
    assertFalse(backend.verifySchnorr(signature, new byte[5], publicKey.bytes));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("malformedSignatures")
  void answersFalseForMalformedSignatures(String backendName, NamedBytes signature) {
    Secp256k1 backend = Secp256k1Backends.select(backendName);
    byte[] publicKey = backend.xOnlyPublicKey(VALID_SECRET);
    assertFalse(backend.verifySchnorr(signature.bytes, MESSAGE, publicKey));
    assertFalse(backend.verifySchnorr(signature.bytes, new byte[0], publicKey));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backendNames")
  void answersFalseForANullMessage(String backendName) {
    Secp256k1 backend = Secp256k1Backends.select(backendName);
    byte[] signature = backend.signSchnorr(MESSAGE, VALID_SECRET, AUX);
    byte[] publicKey = backend.xOnlyPublicKey(VALID_SECRET);
    assertTrue(backend.verifySchnorr(signature, MESSAGE, publicKey));
    assertFalse(backend.verifySchnorr(signature, null, publicKey));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backendNames")
  void refusesAuxRandomnessThatIsNot32Bytes(String backendName) {
    Secp256k1 backend = Secp256k1Backends.select(backendName);
    for (byte[] aux : Arrays.asList(null, new byte[0], new byte[31], new byte[33])) {
      for (byte[] message : List.of(MESSAGE, new byte[7])) {
        assertThrows(
            IllegalArgumentException.class,
            () -> backend.signSchnorr(message, VALID_SECRET, aux),
            "aux " + (aux == null ? "null" : aux.length + " bytes"));
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("backendNames")
  void acceptsTheLargestSecretKey(String backendName) {
    Secp256k1 backend = Secp256k1Backends.select(backendName);
    byte[] nMinusOne = hex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140");
    assertTrue(backend.isValidSecretKey(nMinusOne));
    byte[] signature = backend.signSchnorr(MESSAGE, nMinusOne, AUX);
    assertTrue(backend.verifySchnorr(signature, MESSAGE, backend.xOnlyPublicKey(nMinusOne)));
  }

  static Stream<String> backendNames() {
    return TestBackends.both().stream().map(Secp256k1::name);
  }

  private static void assertRejectsWithoutLeaking(NamedBytes key, Runnable operation) {
    InvalidKeyException e = assertThrows(InvalidKeyException.class, operation::run, key.name);
    if (key.bytes != null && key.bytes.length > 0) {
      String message = e.getMessage().toLowerCase(Locale.ROOT);
      assertFalse(message.contains(Hex.encode(key.bytes)), key.name + ": key bytes in message");
      assertFalse(
          message.contains(Hex.encode(Arrays.copyOf(key.bytes, 4))),
          key.name + ": key prefix in message");
    }
  }

  private static Stream<Arguments> cross(List<NamedBytes> inputs) {
    return backendNames().flatMap(name -> inputs.stream().map(input -> Arguments.of(name, input)));
  }

  private static byte[] hex(String hex) {
    return Hex.decode(hex);
  }

  private static byte[] compressed(byte[] x) {
    byte[] out = new byte[33];
    out[0] = 0x02;
    System.arraycopy(x, 0, out, 1, 32);
    return out;
  }

  private static NamedBytes named(String name, byte[] bytes) {
    return new NamedBytes(name, bytes);
  }

  /** A test input and its label; a class because it holds an array and is never compared. */
  static final class NamedBytes {
    final String name;
    final byte[] bytes;

    NamedBytes(String name, byte[] bytes) {
      this.name = name;
      this.bytes = bytes;
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
