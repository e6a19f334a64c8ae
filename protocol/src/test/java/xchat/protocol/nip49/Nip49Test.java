package xchat.protocol.nip49;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import xchat.protocol.hex.Hex;
import xchat.protocol.nip19.Bech32;
import xchat.protocol.nip19.Nip19Exception;

class Nip49Test {
  private static final byte[] SECRET =
      Hex.decode("3501454135014541350145413501453fefb02227e449e57cf4d3a3ce05378683");
  private static final int FAST_LOG_N = 4;

  @Test
  void decryptsTheSpecExample() throws Exception {
    String ncryptsec =
        "ncryptsec1qgg9947rlpvqu76pj5ecreduf9jxhselq2nae2kghhvd5g7dgjtcxfqtd67p9m0w57lspw8gsq6yphnm8623nsl8xn9j4jdzz84zm3frztj3z7s35vpzmqf6ksu8r89qk5z2zxfmu5gv8th8wclt0h4p";
    assertEquals(16, Ncryptsec.parse(ncryptsec).logN());
    assertArrayEquals(SECRET, Nip49.decrypt(ncryptsec, "nostr".toCharArray()));
  }

  @Test
  void normalizesThePasswordToNfkcAsTheSpecShows() {
    char[] password = "\u212b\u2126\u1e9b\u0323".toCharArray();
    byte[] expected = {
      (byte) 0xc3, (byte) 0x85, (byte) 0xce, (byte) 0xa9, (byte) 0xe1, (byte) 0xb9, (byte) 0xa9
    };
    assertArrayEquals(expected, Nip49.passwordBytes(password));
  }

  @Test
  void passwordsWithTheSameNfkcFormOpenTheSameKey() throws Exception {
    String ncryptsec =
        Nip49.encrypt(
            SECRET,
            "\u212b\u2126\u1e9b\u0323".toCharArray(),
            FAST_LOG_N,
            KeySecurity.UNTRACKED,
            new SplittableRandom(1));
    assertArrayEquals(SECRET, Nip49.decrypt(ncryptsec, "\u00c5\u03a9\u1e69".toCharArray()));
  }

  @Test
  void roundTripsRandomKeysAndPasswords() throws Exception {
    long seed = System.nanoTime();
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < 20; i++) {
      byte[] secret = new byte[32];
      random.nextBytes(secret);
      char[] password = randomPassword(random);
      KeySecurity security = KeySecurity.values()[random.nextInt(3)];
      String ncryptsec = Nip49.encrypt(secret, password.clone(), FAST_LOG_N, security, random);
      Ncryptsec parsed = Ncryptsec.parse(ncryptsec);
      assertEquals(FAST_LOG_N, parsed.logN(), "seed " + seed);
      assertEquals(security, parsed.keySecurity(), "seed " + seed);
      assertEquals(ncryptsec, parsed.toBech32(), "seed " + seed);
      assertArrayEquals(secret, Nip49.decrypt(ncryptsec, password), "seed " + seed + " i " + i);
    }
  }

  @Test
  void producesNinetyOneBytesBeforeBech32() throws Exception {
    String ncryptsec =
        Nip49.encrypt(
            SECRET, "pw".toCharArray(), FAST_LOG_N, KeySecurity.UNTRACKED, new SplittableRandom(2));
    assertTrue(ncryptsec.startsWith("ncryptsec1"));
    assertEquals(91, Bech32.decode(ncryptsec).data().length);
  }

  @Test
  void refusesAWrongPassword() throws Exception {
    String ncryptsec = encryptFast("correct horse");
    Nip49Exception e =
        assertThrows(
            Nip49Exception.class, () -> Nip49.decrypt(ncryptsec, "battery staple".toCharArray()));
    assertEquals(Nip49Exception.Reason.WRONG_PASSWORD, e.reason());
  }

  @Test
  void refusesATamperedStringByItsChecksum() throws Exception {
    String ncryptsec = encryptFast("pw");
    int i = 40;
    char swapped = ncryptsec.charAt(i) == 'q' ? 'p' : 'q';
    String tampered = ncryptsec.substring(0, i) + swapped + ncryptsec.substring(i + 1);
    Nip49Exception e =
        assertThrows(Nip49Exception.class, () -> Nip49.decrypt(tampered, "pw".toCharArray()));
    assertEquals(Nip49Exception.Reason.INVALID_ENCODING, e.reason());
    assertInstanceOf(Nip19Exception.class, e.getCause());
  }

  @Test
  void refusesEveryFieldAlteredUnderAValidChecksum() throws Exception {
    byte[] data = Bech32.decode(encryptFast("pw")).data();
    // salt (2..18), nonce (18..42), key security byte (42) and ciphertext (43..91) are all bound.
    for (int i = 2; i < data.length; i++) {
      byte[] tampered = data.clone();
      tampered[i] ^= (byte) (i == 42 ? 0x03 : 0x01);
      String encoded = Bech32.encode("ncryptsec", tampered);
      Nip49Exception e =
          assertThrows(Nip49Exception.class, () -> Nip49.decrypt(encoded, "pw".toCharArray()));
      assertEquals(Nip49Exception.Reason.WRONG_PASSWORD, e.reason(), "byte " + i);
    }
  }

  @Test
  void refusesMalformedHeaders() throws Exception {
    byte[] data = Bech32.decode(encryptFast("pw")).data();
    byte[] version = data.clone();
    version[0] = 0x01;
    assertReason(Nip49Exception.Reason.UNKNOWN_VERSION, Bech32.encode("ncryptsec", version));
    byte[] security = data.clone();
    security[42] = 0x03;
    assertReason(Nip49Exception.Reason.UNKNOWN_KEY_SECURITY, Bech32.encode("ncryptsec", security));
    assertReason(
        Nip49Exception.Reason.INVALID_LENGTH,
        Bech32.encode("ncryptsec", Arrays.copyOf(data, 90)));
    assertReason(Nip49Exception.Reason.WRONG_PREFIX, Bech32.encode("nsec", data));
  }

  @Test
  void refusesLogNAboveTheLimitBeforeRunningScrypt() throws Exception {
    byte[] data = Bech32.decode(encryptFast("pw")).data();
    data[1] = (byte) 40;
    String costly = Bech32.encode("ncryptsec", data);
    assertReason(Nip49Exception.Reason.UNSUPPORTED_LOG_N, costly);
    data[1] = 0;
    assertReason(Nip49Exception.Reason.UNSUPPORTED_LOG_N, Bech32.encode("ncryptsec", data));
    String fine = encryptFast("pw");
    Nip49Exception e =
        assertThrows(
            Nip49Exception.class, () -> Nip49.decrypt(fine, "pw".toCharArray(), FAST_LOG_N - 1));
    assertEquals(Nip49Exception.Reason.UNSUPPORTED_LOG_N, e.reason());
  }

  @Test
  void freshRandomnessGivesDistinctCiphertexts() {
    SplittableRandom random = new SplittableRandom(3);
    String one =
        Nip49.encrypt(SECRET, "pw".toCharArray(), FAST_LOG_N, KeySecurity.UNTRACKED, random);
    String two =
        Nip49.encrypt(SECRET, "pw".toCharArray(), FAST_LOG_N, KeySecurity.UNTRACKED, random);
    assertNotEquals(one, two);
  }

  @Test
  void refusesUnencodablePasswordsAndBadArguments() {
    assertThrows(
        IllegalArgumentException.class, () -> Nip49.passwordBytes(new char[] {'a', '\ud800'}));
    SplittableRandom random = new SplittableRandom(4);
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Nip49.encrypt(
                new byte[31], "pw".toCharArray(), FAST_LOG_N, KeySecurity.UNTRACKED, random));
    assertThrows(
        IllegalArgumentException.class,
        () -> Nip49.encrypt(SECRET, "pw".toCharArray(), 0, KeySecurity.UNTRACKED, random));
  }

  private static String encryptFast(String password) {
    return Nip49.encrypt(
        SECRET,
        password.toCharArray(),
        FAST_LOG_N,
        KeySecurity.NOT_KNOWN_INSECURE,
        new SplittableRandom(5));
  }

  private static void assertReason(Nip49Exception.Reason reason, String ncryptsec) {
    Nip49Exception e =
        assertThrows(Nip49Exception.class, () -> Nip49.decrypt(ncryptsec, "pw".toCharArray()));
    assertEquals(reason, e.reason());
  }

  private static char[] randomPassword(SplittableRandom random) {
    StringBuilder password = new StringBuilder();
    for (int i = random.nextInt(20); i >= 0; i--) {
      password.appendCodePoint(
          random.nextBoolean() ? 0x21 + random.nextInt(0x5e) : 0xc0 + random.nextInt(0x2000));
    }
    return password.toString().toCharArray();
  }
}
