package xchat.protocol.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Secp256k1BackendsTest {

  @Test
  void nativeLoadsOnThisPlatform() {
    assertTrue(
        Secp256k1Backends.nativeBackend().isPresent(),
        () -> "libsecp256k1 unavailable: " + Secp256k1Backends.nativeUnavailableReason());
    assertTrue(Secp256k1Backends.nativeUnavailableReason().isEmpty());
  }

  @Test
  void defaultIsNativeWhenNothingIsForcedAndIsCached() {
    Secp256k1 first = Secp256k1.defaultBackend();
    assertSame(first, Secp256k1.defaultBackend());
    if (System.getProperty(Secp256k1Backends.PROPERTY) == null) {
      assertEquals(NativeSecp256k1.NAME, first.name());
    }
  }

  @Test
  void blankChoiceMeansNativeWhenItLoads() {
    assertSame(TestBackends.nativeBackend(), Secp256k1Backends.select(null));
    assertSame(TestBackends.nativeBackend(), Secp256k1Backends.select(" "));
  }

  @Test
  void propertyValuesForceABackendIgnoringCase() {
    assertSame(BouncyCastleSecp256k1.instance(), Secp256k1Backends.select("bc"));
    assertSame(BouncyCastleSecp256k1.instance(), Secp256k1Backends.select(" BC "));
    assertSame(TestBackends.nativeBackend(), Secp256k1Backends.select("native"));
    assertEquals("bc", Secp256k1Backends.select("bc").name());
    assertEquals("native", Secp256k1Backends.select("Native").name());
  }

  @Test
  void rejectsAnUnknownBackendName() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Secp256k1Backends.select("openssl"));
    assertTrue(e.getMessage().contains(Secp256k1Backends.PROPERTY), e.getMessage());
  }
}
