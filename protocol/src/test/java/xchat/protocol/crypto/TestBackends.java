package xchat.protocol.crypto;

import java.util.List;

/** Both backends, for tests that must hold for each. */
final class TestBackends {
  private TestBackends() {}

  /** The native backend; the build platforms all ship libsecp256k1, so its absence fails. */
  static NativeSecp256k1 nativeBackend() {
    return Secp256k1Backends.nativeBackend()
        .orElseThrow(
            () ->
                new AssertionError(
                    "libsecp256k1 did not load", Secp256k1Backends.nativeUnavailableReason().get()));
  }

  static BouncyCastleSecp256k1 bouncyCastle() {
    return Secp256k1Backends.bouncyCastle();
  }

  static List<Secp256k1> both() {
    return List.of(nativeBackend(), bouncyCastle());
  }
}
