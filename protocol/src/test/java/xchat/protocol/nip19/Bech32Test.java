package xchat.protocol.nip19;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** BIP-173 test vectors, minus its 90-character limit, plus round trips. */
class Bech32Test {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "A12UEL5L",
        "a12uel5l",
        "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
        "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
        "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
        "?1ezyfcl",
        // Valid apart from BIP-173's 90-character limit, which NIP-19 does not keep.
        "an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx"
      })
  void acceptsBip173ValidStringsAndReencodesThemInLowerCase(String valid) throws Exception {
    Bech32.Decoded decoded = Bech32.decode(valid);
    assertEquals(valid.toLowerCase(Locale.ROOT), Bech32.encode(decoded.hrp(), decoded.data()));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "pzry9x0s0muk | MALFORMED",
        "1pzry9x0s0muk | MALFORMED",
        "x1b4n0q5v | INVALID_CHARACTER",
        "li1dgmt3 | MALFORMED",
        "A1G7SGD8 | INVALID_CHECKSUM",
        "10a06t8 | MALFORMED",
        "1qzzfhee | MALFORMED",
        "a12UEL5L | MIXED_CASE",
        "A12uEL5L | MIXED_CASE",
        // bech32m (BIP-350) checksums are a different constant, and NIP-19 is bech32 only.
        "a1lqfn3a | INVALID_CHECKSUM",
        "abcdef1l7aum6echk45nj3s0wdvt2fg8x9yrzpqzd3ryx | INVALID_CHECKSUM"
      })
  void refusesBip173InvalidStringsWithTheirReason(String invalid, Nip19Exception.Reason reason) {
    Nip19Exception e = assertThrows(Nip19Exception.class, () -> Bech32.decode(invalid));
    assertEquals(reason, e.reason());
  }

  @ParameterizedTest
  @ValueSource(strings = {" 1nwldj5", "\u007f1axkwrx", "\u00801eym55h", "de1lg7wt\u00ff"})
  void refusesCharactersOutsidePrintableAscii(String invalid) {
    Nip19Exception e = assertThrows(Nip19Exception.class, () -> Bech32.decode(invalid));
    assertEquals(Nip19Exception.Reason.INVALID_CHARACTER, e.reason());
  }

  @Test
  void refusesNonZeroPaddingBits() throws Exception {
    // 0xff is 11111 111(00): two groups ending in two padding bits; set those bits.
    assertEquals(
        Bech32.encode("test", new byte[] {(byte) 0xff}), withValues("test", new byte[] {31, 28}));
    String tampered = withValues("test", new byte[] {31, 31});
    Nip19Exception e = assertThrows(Nip19Exception.class, () -> Bech32.decode(tampered));
    assertEquals(Nip19Exception.Reason.INVALID_PADDING, e.reason());
  }

  @Test
  void refusesAWholeGroupOfPadding() {
    String tampered = withValues("test", new byte[] {31, 28, 0});
    Nip19Exception e = assertThrows(Nip19Exception.class, () -> Bech32.decode(tampered));
    assertEquals(Nip19Exception.Reason.INVALID_PADDING, e.reason());
  }

  @Test
  void roundTripsRandomDataUpToTheLengthLimit() throws Exception {
    long seed = System.nanoTime();
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < 500; i++) {
      byte[] data = new byte[random.nextInt(3000)];
      random.nextBytes(data);
      Bech32.Decoded decoded = Bech32.decode(Bech32.encode("xchat", data));
      assertEquals("xchat", decoded.hrp(), "seed " + seed);
      assertArrayEquals(data, decoded.data(), "seed " + seed + " iteration " + i);
    }
  }

  @Test
  void refusesStringsOverFiveThousandCharactersBothWays() throws Exception {
    assertEquals(3120, Bech32.decode(Bech32.encode("x", new byte[3120])).data().length);
    assertEquals(5000, Bech32.encode("x", new byte[3120]).length());
    assertThrows(IllegalArgumentException.class, () -> Bech32.encode("x", new byte[3121]));
    Nip19Exception e =
        assertThrows(Nip19Exception.class, () -> Bech32.decode("x1" + "q".repeat(4999)));
    assertEquals(Nip19Exception.Reason.TOO_LONG, e.reason());
  }

  @Test
  void detectsEverySingleCharacterSubstitution() {
    String valid = Bech32.encode("npub", new byte[32]);
    String alphabet = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    for (int i = valid.indexOf('1') + 1; i < valid.length(); i++) {
      for (char c : alphabet.toCharArray()) {
        if (c == valid.charAt(i)) {
          continue;
        }
        String tampered = valid.substring(0, i) + c + valid.substring(i + 1);
        Nip19Exception e = assertThrows(Nip19Exception.class, () -> Bech32.decode(tampered));
        assertEquals(Nip19Exception.Reason.INVALID_CHECKSUM, e.reason(), tampered);
      }
    }
  }

  /** A bech32 string with these exact 5-bit values and a valid checksum. */
  private static String withValues(String hrp, byte[] values) {
    // The public API cannot produce arbitrary 5-bit groups, so checksum them here (BIP-173).
    int chk = 1;
    int[] expanded = new int[hrp.length() * 2 + 1 + values.length + 6];
    int n = 0;
    for (char c : hrp.toCharArray()) {
      expanded[n++] = c >>> 5;
    }
    expanded[n++] = 0;
    for (char c : hrp.toCharArray()) {
      expanded[n++] = c & 31;
    }
    for (byte v : values) {
      expanded[n++] = v;
    }
    int[] generator = {0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3};
    for (int v : expanded) {
      int top = chk >>> 25;
      chk = (chk & 0x1ffffff) << 5 ^ v;
      for (int i = 0; i < 5; i++) {
        if (((top >>> i) & 1) != 0) {
          chk ^= generator[i];
        }
      }
    }
    chk ^= 1;
    String alphabet = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    StringBuilder out = new StringBuilder(hrp).append('1');
    for (byte v : values) {
      out.append(alphabet.charAt(v));
    }
    for (int i = 0; i < 6; i++) {
      out.append(alphabet.charAt((chk >>> (5 * (5 - i))) & 31));
    }
    return out.toString();
  }
}
