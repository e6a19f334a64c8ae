package xchat.protocol.nip19;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import xchat.protocol.hex.Hex;

class Nip19Test {
  private static final String KEY_HEX =
      "3bf0c63fcb93463407af97a5e5ee64fa883d107ef9e558472c4eb9aaaefa459d";

  @Test
  void decodesAndEncodesTheSpecPublicKeys() throws Exception {
    assertSpecPair("npub180cvv07tjdrrgpa0j7j7tmnyl2yr6yr7l8j4s3evf6u64th6gkwsyjh6w6", KEY_HEX);
    assertSpecPair(
        "npub10elfcs4fr0l0r8af98jlmgdh9c8tcxjvz9qkw038js35mp4dma8qzvjptg",
        "7e7e9c42a91bfef19fa929e5fda1b72e0ebc1a4c1141673e2794234d86addf4e");
  }

  @Test
  void decodesAndEncodesTheSpecSecretKey() throws Exception {
    String nsec = "nsec1vl029mgpspedva04g90vltkh6fvh240zqtv9k0t9af8935ke9laqsnlfe5";
    String hex = "67dea2ed018072d675f5415ecfaed7d2597555e202d85b3d65ea4e58d2d92ffa";
    assertEquals(hex, Nip19.decode(nsec, Nsec.class).secretKeyHex());
    assertEquals(nsec, Nsec.ofHex(hex).toBech32());
  }

  @Test
  void decodesAndEncodesTheSpecProfile() throws Exception {
    String nprofile =
        "nprofile1qqsrhuxx8l9ex335q7he0f09aej04zpazpl0ne2cgukyawd24mayt8gpp4mhxue69uhhytnc9e3k7mgpz4mhxue69uhkg6nzv9ejuumpv34kytnrdaksjlyr9p";
    Nprofile profile = Nip19.decode(nprofile, Nprofile.class);
    assertEquals(KEY_HEX, profile.publicKeyHex());
    assertEquals(List.of("wss://r.x.com", "wss://djbas.sadkb.com"), profile.relays());
    assertEquals(nprofile, profile.toBech32());
  }

  @Test
  void acceptsAnAllUpperCaseString() throws Exception {
    String upper = "NPUB180CVV07TJDRRGPA0J7J7TMNYL2YR6YR7L8J4S3EVF6U64TH6GKWSYJH6W6";
    assertEquals(KEY_HEX, Nip19.decode(upper, Npub.class).publicKeyHex());
  }

  @Test
  void refusesMixedCase() {
    assertReason(
        Nip19Exception.Reason.MIXED_CASE,
        "npub180cvv07tjdrrgpa0j7j7tmnyl2yr6yr7l8j4s3evf6u64th6gkwsyjh6W6");
  }

  @Test
  void refusesABadChecksum() {
    assertReason(
        Nip19Exception.Reason.INVALID_CHECKSUM,
        "npub180cvv07tjdrrgpa0j7j7tmnyl2yr6yr7l8j4s3evf6u64th6gkwsyjh6w7");
  }

  @Test
  void refusesAnEntityOfAnotherType() {
    String npub = new Npub(Hex.decode(KEY_HEX)).toBech32();
    Nip19Exception e = assertThrows(Nip19Exception.class, () -> Nip19.decode(npub, Nsec.class));
    assertEquals(Nip19Exception.Reason.WRONG_PREFIX, e.reason());
  }

  @Test
  void refusesUnknownAndDeprecatedPrefixes() {
    assertReason(
        Nip19Exception.Reason.UNKNOWN_PREFIX, Bech32.encode("nrelay", tlv(0, ascii("wss://r"))));
    assertReason(Nip19Exception.Reason.UNKNOWN_PREFIX, Bech32.encode("nkey", new byte[32]));
  }

  @Test
  void refusesBareKeysThatAreNotThirtyTwoBytes() {
    assertReason(Nip19Exception.Reason.INVALID_LENGTH, Bech32.encode("npub", new byte[31]));
    assertReason(Nip19Exception.Reason.INVALID_LENGTH, Bech32.encode("nsec", new byte[33]));
    assertReason(Nip19Exception.Reason.INVALID_LENGTH, Bech32.encode("note", new byte[0]));
  }

  @Test
  void refusesTlvThatRunsPastTheEnd() {
    byte[] truncated = concat(tlv(0, new byte[32]), new byte[] {1, 10, 'w'});
    assertReason(Nip19Exception.Reason.MALFORMED_TLV, Bech32.encode("nprofile", truncated));
    byte[] dangling = concat(tlv(0, new byte[32]), new byte[] {1});
    assertReason(Nip19Exception.Reason.MALFORMED_TLV, Bech32.encode("nevent", dangling));
  }

  @Test
  void refusesMissingRequiredTlvs() {
    assertReason(
        Nip19Exception.Reason.MISSING_TLV, Bech32.encode("nprofile", tlv(1, ascii("wss://r"))));
    assertReason(Nip19Exception.Reason.MISSING_TLV, Bech32.encode("nevent", new byte[0]));
    byte[] noKind = concat(tlv(0, ascii("d")), tlv(2, new byte[32]));
    assertReason(Nip19Exception.Reason.MISSING_TLV, Bech32.encode("naddr", noKind));
    byte[] noAuthor = concat(tlv(0, ascii("d")), tlv(3, new byte[4]));
    assertReason(Nip19Exception.Reason.MISSING_TLV, Bech32.encode("naddr", noAuthor));
    byte[] noIdentifier = concat(tlv(2, new byte[32]), tlv(3, new byte[4]));
    assertReason(Nip19Exception.Reason.MISSING_TLV, Bech32.encode("naddr", noIdentifier));
  }

  @Test
  void refusesKnownTlvsOfTheWrongSizeOrRepeated() {
    assertReason(
        Nip19Exception.Reason.INVALID_TLV, Bech32.encode("nprofile", tlv(0, new byte[31])));
    byte[] shortKind = concat(tlv(0, new byte[32]), tlv(3, new byte[2]));
    assertReason(Nip19Exception.Reason.INVALID_TLV, Bech32.encode("nevent", shortKind));
    byte[] twoIds = concat(tlv(0, new byte[32]), tlv(0, new byte[32]));
    assertReason(Nip19Exception.Reason.INVALID_TLV, Bech32.encode("nevent", twoIds));
    byte[] badRelay = concat(tlv(0, new byte[32]), tlv(1, new byte[] {(byte) 0xc3}));
    assertReason(Nip19Exception.Reason.INVALID_TLV, Bech32.encode("nprofile", badRelay));
  }

  @Test
  void ignoresUnknownTlvTypes() throws Exception {
    byte[] data = concat(tlv(0, Hex.decode(KEY_HEX)), tlv(9, ascii("future")), tlv(2, new byte[3]));
    Nprofile profile = Nip19.decode(Bech32.encode("nprofile", data), Nprofile.class);
    assertEquals(new Nprofile(Hex.decode(KEY_HEX), List.of()), profile);
  }

  @Test
  void encodesNeventFieldsInSpecOrder() throws Exception {
    byte[] id = new byte[32];
    id[0] = 1;
    byte[] author = Hex.decode(KEY_HEX);
    Nevent event = new Nevent(id, List.of("wss://a"), Optional.of(author), OptionalLong.of(1));
    byte[] expected =
        concat(
            tlv(0, id), tlv(1, ascii("wss://a")), tlv(2, author), tlv(3, new byte[] {0, 0, 0, 1}));
    assertEquals(Bech32.encode("nevent", expected), event.toBech32());
  }

  @Test
  void roundTripsRandomEntitiesOfEveryType() throws Exception {
    long seed = System.nanoTime();
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < 300; i++) {
      Nip19Entity entity = randomEntity(random);
      String encoded = entity.toBech32();
      assertTrue(encoded.startsWith(entity.prefix() + "1"), "seed " + seed);
      assertEquals(entity, Nip19.decode(encoded), "seed " + seed + " iteration " + i);
    }
  }

  @Test
  void roundTripsProfilesFarLongerThanNinetyCharacters() throws Exception {
    List<String> relays = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      relays.add("wss://relay-" + i + ".example.com/some/long/path");
    }
    Nprofile profile = new Nprofile(Hex.decode(KEY_HEX), relays);
    String encoded = profile.toBech32();
    assertTrue(encoded.length() > 1000);
    assertEquals(profile, Nip19.decode(encoded));
  }

  @Test
  void nsecNeverPrintsItsKey() {
    Nsec nsec = Nsec.ofHex(KEY_HEX);
    assertFalse(nsec.toString().contains(KEY_HEX.substring(0, 8)));
  }

  @Test
  void entitiesRefuseInvalidFields() {
    assertThrows(IllegalArgumentException.class, () -> new Npub(new byte[31]));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Naddr("x".repeat(256), new byte[32], 1, List.of()));
    assertThrows(
        IllegalArgumentException.class, () -> new Naddr("d", new byte[32], 1L << 32, List.of()));
    assertThrows(IllegalArgumentException.class, () -> new Nprofile(new byte[32], List.of("")));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Nevent(new byte[32], List.of(), Optional.empty(), OptionalLong.of(-1)));
  }

  private static Nip19Entity randomEntity(SplittableRandom random) {
    byte[] key = bytes(random, 32);
    List<String> relays = new ArrayList<>();
    for (int i = random.nextInt(4); i > 0; i--) {
      relays.add("wss://" + Long.toHexString(random.nextLong()) + ".relay/ü");
    }
    switch (random.nextInt(6)) {
      case 0:
        return new Npub(key);
      case 1:
        return new Nsec(key);
      case 2:
        return new Note(key);
      case 3:
        return new Nprofile(key, relays);
      case 4:
        return new Nevent(
            key,
            relays,
            random.nextBoolean() ? Optional.of(bytes(random, 32)) : Optional.empty(),
            random.nextBoolean()
                ? OptionalLong.of(random.nextLong(1L << 32))
                : OptionalLong.empty());
      default:
        return new Naddr(
            random.nextBoolean() ? "" : "identifier-" + random.nextInt() + "-☃",
            key,
            random.nextLong(1L << 32),
            relays);
    }
  }

  private static void assertSpecPair(String npub, String hex) throws Exception {
    assertEquals(hex, Nip19.decode(npub, Npub.class).publicKeyHex());
    assertEquals(npub, Npub.ofHex(hex).toBech32());
  }

  private static void assertReason(Nip19Exception.Reason reason, String encoded) {
    Nip19Exception e = assertThrows(Nip19Exception.class, () -> Nip19.decode(encoded));
    assertEquals(reason, e.reason(), encoded);
  }

  private static byte[] tlv(int type, byte[] value) {
    return concat(new byte[] {(byte) type, (byte) value.length}, value);
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.write(part, 0, part.length);
    }
    return out.toByteArray();
  }

  private static byte[] bytes(SplittableRandom random, int length) {
    byte[] out = new byte[length];
    random.nextBytes(out);
    return out;
  }
}
