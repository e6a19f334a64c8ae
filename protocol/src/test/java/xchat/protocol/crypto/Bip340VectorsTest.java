package xchat.protocol.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import xchat.protocol.hex.Hex;

/** The official BIP-340 vectors, run against every backend. */
class Bip340VectorsTest {

  private static final List<Bip340Vector> VECTORS = Bip340Vector.load();

  static Stream<Arguments> backendsAndVectors() {
    return cross(VECTORS);
  }

  static Stream<Arguments> backendsAndSigningVectors() {
    return cross(VECTORS.stream().filter(v -> v.secretKey.isPresent()).toList());
  }

  private static Stream<Arguments> cross(List<Bip340Vector> vectors) {
    return TestBackends.both().stream()
        .flatMap(backend -> vectors.stream().map(vector -> Arguments.of(backend.name(), vector)));
  }

  @Test
  void loadsAllNineteenVectorsIncludingTheVariableLengthOnes() {
    assertEquals(19, VECTORS.size());
    assertEquals(8, VECTORS.stream().filter(v -> v.secretKey.isPresent()).count());
    assertEquals(
        List.of(0, 1, 17, 100),
        VECTORS.stream().filter(v -> v.index >= 15).map(v -> v.message.length).toList());
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("backendsAndVectors")
  void verificationMatchesTheExpectedResult(String backendName, Bip340Vector vector) {
    assertEquals(
        vector.verifies,
        backend(backendName).verifySchnorr(vector.signature, vector.message, vector.publicKey),
        vector.toString());
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("backendsAndSigningVectors")
  void derivesThePublicKeyOfEverySigningVector(String backendName, Bip340Vector vector) {
    assertEquals(
        Hex.encode(vector.publicKey),
        Hex.encode(backend(backendName).xOnlyPublicKey(vector.secretKey.get())),
        vector.toString());
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("backendsAndSigningVectors")
  void reproducesTheSignatureOfEverySigningVector(String backendName, Bip340Vector vector) {
    Secp256k1 backend = backend(backendName);
    byte[] signature =
        backend.signSchnorr(vector.message, vector.secretKey.get(), vector.auxRandom.get());
    assertEquals(Hex.encode(vector.signature), Hex.encode(signature), vector.toString());
    assertTrue(backend.verifySchnorr(signature, vector.message, vector.publicKey), vector.toString());
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("backendsAndVectors")
  void leavesItsInputsUntouched(String backendName, Bip340Vector vector) {
    byte[] signature = vector.signature.clone();
    byte[] message = vector.message.clone();
    byte[] publicKey = vector.publicKey.clone();
    backend(backendName).verifySchnorr(signature, message, publicKey);
    vector.secretKey.ifPresent(
        secretKey -> {
          byte[] secretCopy = secretKey.clone();
          byte[] aux = vector.auxRandom.get().clone();
          backend(backendName).signSchnorr(message, secretCopy, aux);
          assertArrayEquals(secretKey, secretCopy, vector.toString());
          assertArrayEquals(vector.auxRandom.get(), aux, vector.toString());
        });
    assertArrayEquals(vector.signature, signature, vector.toString());
    assertArrayEquals(vector.message, message, vector.toString());
    assertArrayEquals(vector.publicKey, publicKey, vector.toString());
  }

  private static Secp256k1 backend(String name) {
    return Secp256k1Backends.select(name);
  }
}
