package xchat.persistence.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.generators.SCrypt;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;

class KeyWrapTest {
  private final SecureRandom random = new SecureRandom();

  @Test
  void unwrapReturnsTheMasterKeyForTheRightPassphraseOnly() throws Exception {
    byte[] master = KeyWrap.newMasterKey(random);
    KeyWrap.Wrapped wrapped = KeyWrap.wrap(master, "pass word".toCharArray(), ScryptParams.TEST_ONLY, random);
    assertArrayEquals(master, KeyWrap.unwrap(wrapped, "pass word".toCharArray()));
    assertThrows(TagMismatchException.class, () -> KeyWrap.unwrap(wrapped, "pass word ".toCharArray()));
  }

  @Test
  void rewrappingUsesAFreshSalt() {
    byte[] master = KeyWrap.newMasterKey(random);
    KeyWrap.Wrapped first = KeyWrap.wrap(master, "a".toCharArray(), ScryptParams.TEST_ONLY, random);
    KeyWrap.Wrapped second = KeyWrap.wrap(master, "a".toCharArray(), ScryptParams.TEST_ONLY, random);
    assertFalse(Arrays.equals(first.salt(), second.salt()));
  }

  @Test
  void tamperedCostParametersAreDetected() {
    byte[] master = KeyWrap.newMasterKey(random);
    KeyWrap.Wrapped wrapped = KeyWrap.wrap(master, "pw".toCharArray(), new ScryptParams(11, 8, 1), random);
    KeyWrap.Wrapped cheaper = new KeyWrap.Wrapped(wrapped.salt(), new ScryptParams(10, 8, 1), wrapped.sealedMaster());
    assertThrows(TagMismatchException.class, () -> KeyWrap.unwrap(cheaper, "pw".toCharArray()));
  }

  /** RFC 7914 §12, second vector: the KDF is Bouncy Castle's scrypt with our parameter mapping. */
  @Test
  void kekDerivationMatchesTheScryptTestVector() {
    byte[] expected = Hex.decode(
        "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640");
    byte[] derived = SCrypt.generate("password".getBytes(), "NaCl".getBytes(), new ScryptParams(10, 8, 16).n(), 8, 16, 64);
    assertArrayEquals(expected, derived);
    assertArrayEquals(Arrays.copyOf(expected, 32),
        KeyWrap.deriveKek("password".toCharArray(), "NaCl".getBytes(), new ScryptParams(10, 8, 16)));
  }

  @Test
  void scryptParametersAreBounded() {
    assertThrows(IllegalArgumentException.class, () -> new ScryptParams(0, 8, 1));
    assertThrows(IllegalArgumentException.class, () -> new ScryptParams(30, 8, 1));
    assertThrows(IllegalArgumentException.class, () -> new ScryptParams(23, 8, 1), "8 GiB of memory");
    assertThrows(IllegalArgumentException.class, () -> KeyWrap.wrap(new byte[32], new char[0], ScryptParams.TEST_ONLY, random));
  }
}
