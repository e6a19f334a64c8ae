package xchat.protocol.nip77;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import xchat.protocol.hex.Hex;
import xchat.protocol.nip77.NegentropyException.Reason;
import xchat.protocol.nip77.NegentropyMessage.FingerprintRange;
import xchat.protocol.nip77.NegentropyMessage.IdListRange;
import xchat.protocol.nip77.NegentropyMessage.Range;
import xchat.protocol.nip77.NegentropyMessage.SkipRange;

class NegentropyMessageTest {

  @Test
  void encodesEveryModeWithDeltaTimestampsAndIdPrefixes() {
    byte[] id = new byte[32];
    Arrays.fill(id, (byte) 0xab);
    byte[] fingerprint = new byte[16];
    Arrays.fill(fingerprint, (byte) 0xcd);
    NegentropyMessage message =
        new NegentropyMessage(
            List.of(
                new SkipRange(new Bound(1000, new byte[0])),
                new FingerprintRange(
                    new Bound(1000, new byte[] {0x12}), new Fingerprint(fingerprint)),
                IdListRange.of(new Bound(1300, new byte[0]), List.of(id)),
                new SkipRange(Bound.INFINITY)));
    String expected =
        "61"
            + "87690000" // 1000 + 1 = 0x3e9, no prefix, Skip
            + "01011201"
            + "cd".repeat(16) // same timestamp: delta 0 + 1, prefix 12, Fingerprint
            + "822d000201"
            + "ab".repeat(32) // delta 300 + 1, IdList of one id
            + "000000"; // infinity, Skip
    assertEquals(expected, message.toHex());
    assertEquals(message, NegentropyMessage.fromHex(expected));
  }

  @Test
  void roundTripsRandomMessagesThroughBytesAndHex() {
    long seed = 0x5eed_0101L;
    Random random = new Random(seed);
    for (int trial = 0; trial < 2_000; trial++) {
      NegentropyMessage message = randomMessage(random);
      byte[] bytes = message.encode();
      String context = "seed " + seed + " trial " + trial;
      assertEquals(message, NegentropyMessage.decode(bytes), context);
      assertEquals(message, NegentropyMessage.fromHex(message.toHex()), context);
      assertArrayEquals(bytes, NegentropyMessage.decode(bytes).encode(), context);
    }
  }

  @Test
  void versionByteAloneIsTheEmptyMessage() {
    assertEquals(List.of(), NegentropyMessage.fromHex("61").ranges());
    assertEquals("61", new NegentropyMessage(List.of()).toHex());
  }

  @Test
  void rejectsEmptyInputAsTruncated() {
    assertRejected(Reason.TRUNCATED, "");
  }

  @Test
  void rejectsBytesThatAreNotAVersion() {
    assertRejected(Reason.BAD_VERSION, "00");
    assertRejected(Reason.BAD_VERSION, "ff0000");
    assertRejected(Reason.BAD_VERSION, "5f");
  }

  @Test
  void rejectsOtherProtocolVersions() {
    assertRejected(Reason.UNSUPPORTED_VERSION, "62aabbccddeeff");
    assertRejected(Reason.UNSUPPORTED_VERSION, "60");
  }

  @Test
  void everyStrictPrefixOfAValidMessageIsTruncatedOrAShorterMessage() {
    long seed = 0x5eed_0102L;
    Random random = new Random(seed);
    for (int trial = 0; trial < 200; trial++) {
      NegentropyMessage message = randomMessage(random);
      byte[] bytes = message.encode();
      for (int length = 1; length < bytes.length; length++) {
        byte[] prefix = Arrays.copyOf(bytes, length);
        try {
          List<Range> ranges = NegentropyMessage.decode(prefix).ranges();
          assertEquals(message.ranges().subList(0, ranges.size()), ranges, "seed " + seed);
        } catch (NegentropyException e) {
          assertEquals(Reason.TRUNCATED, e.reason(), "seed " + seed + " length " + length);
        }
      }
    }
  }

  @Test
  void rejectsVarintsAbove64Bits() {
    assertRejected(Reason.VARINT_OVERFLOW, "61" + "ff".repeat(20));
    assertRejected(Reason.VARINT_OVERFLOW, "61" + "82" + "80".repeat(8) + "00");
    assertRejected(Reason.VARINT_OVERFLOW, "61" + "ff".repeat(100_000) + "00");
  }

  @Test
  void acceptsTheLargestFiniteTimestamp() {
    // varint 2^64-1 decodes to timestamp 2^64-2, the largest that is not infinity
    NegentropyMessage message =
        NegentropyMessage.fromHex("61" + "81ffffffffffffffff7f" + "00" + "00");
    assertEquals(-2L, message.ranges().get(0).upperBound().timestamp());
  }

  @Test
  void rejectsVarintsWithLeadingZeroDigits() {
    assertRejected(Reason.NON_CANONICAL_VARINT, "61" + "8001" + "00" + "00");
    assertRejected(Reason.NON_CANONICAL_VARINT, "61" + "02" + "00" + "8000");
  }

  @Test
  void rejectsTimestampsPastInfinity() {
    assertRejected(Reason.TIMESTAMP_OVERFLOW, "61" + "000000" + "020000");
    assertRejected(Reason.TIMESTAMP_OVERFLOW, "61" + "81ffffffffffffffff7f0000" + "020000");
    assertRejected(Reason.TIMESTAMP_OVERFLOW, "61" + "81ffffffffffffffff7f0000" + "030000");
  }

  @Test
  void rejectsUnknownModes() {
    assertRejected(Reason.BAD_MODE, "61" + "0000" + "03");
    assertRejected(Reason.BAD_MODE, "61" + "0000" + "04");
    assertRejected(Reason.BAD_MODE, "61" + "0000" + "81ffffffffffffffff7f");
  }

  @Test
  void rejectsIdPrefixesLongerThan32Bytes() {
    assertRejected(Reason.BAD_ID_LENGTH, "61" + "02" + "21" + "00".repeat(33) + "00");
    assertRejected(Reason.BAD_ID_LENGTH, "61" + "02" + "81ffffffffffffffff7f");
  }

  @Test
  void rejectsIdListsLongerThanTheRemainingBytesBeforeAllocating() {
    assertRejected(Reason.TRUNCATED, "61" + "0000" + "02" + "02" + "11".repeat(32));
    // 2^62 ids: refused from the byte count alone
    assertRejected(Reason.TRUNCATED, "61" + "0000" + "02" + "c08080808080808000");
    assertRejected(Reason.TRUNCATED, "61" + "0000" + "01" + "11".repeat(15));
    assertRejected(Reason.TRUNCATED, "61" + "02" + "05" + "11".repeat(4));
  }

  @Test
  void rejectsBoundsThatGoBackwards() {
    String first = "0a" + "01" + "05" + "00"; // timestamp 9, prefix 05, Skip
    String second = "01" + "01" + "04" + "00"; // same timestamp, prefix 04, Skip
    NegentropyException e =
        assertThrows(
            NegentropyException.class, () -> NegentropyMessage.fromHex("61" + first + second));
    assertEquals(Reason.UNSORTED_BOUNDS, e.reason());
    assertEquals(5, e.offset());
    // Equal bounds are an empty range, which the reference itself can emit before infinity.
    assertEquals(
        2, NegentropyMessage.fromHex("61" + first + "01" + "02" + "0500" + "00").ranges().size());
  }

  @Test
  void rejectsMalformedHex() {
    assertRejected(Reason.BAD_HEX, "61zz");
    assertRejected(Reason.BAD_HEX, "6");
    NegentropyException e =
        assertThrows(NegentropyException.class, () -> NegentropyMessage.fromHex("6A"));
    assertEquals(Reason.BAD_HEX, e.reason());
    assertTrue(e.getCause() instanceof Hex.HexFormatException);
  }

  @Test
  void randomInputEitherDecodesToItsCanonicalFormOrFailsWithAReason() {
    long seed = 0x5eed_0103L;
    Random random = new Random(seed);
    int accepted = 0;
    for (int trial = 0; trial < 50_000; trial++) {
      byte[] input;
      if (trial % 2 == 0) {
        input = new byte[1 + random.nextInt(60)];
        random.nextBytes(input);
        input[0] = (byte) NegentropyMessage.PROTOCOL_VERSION;
        for (int i = 1; i < input.length; i++) {
          if (random.nextInt(3) == 0) {
            input[i] = (byte) random.nextInt(3); // small values make plausible modes and lengths
          }
        }
      } else {
        input = randomMessage(random).encode();
        int flips = 1 + random.nextInt(3);
        for (int f = 0; f < flips && input.length > 1; f++) {
          input[1 + random.nextInt(input.length - 1)] ^= (byte) (1 << random.nextInt(8));
        }
      }
      try {
        NegentropyMessage decoded = NegentropyMessage.decode(input);
        accepted++;
        assertArrayEquals(input, decoded.encode(), "seed " + seed + " trial " + trial);
      } catch (NegentropyException expected) {
        // a typed refusal is the other allowed outcome
      } catch (RuntimeException e) {
        fail("seed " + seed + " trial " + trial + " input " + Hex.encode(input) + ": " + e, e);
      }
    }
    assertTrue(accepted > 1_000, "fuzzing should also reach valid messages, accepted " + accepted);
  }

  @Test
  void refusesToBuildMessagesWithDescendingBounds() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new NegentropyMessage(List.of(new SkipRange(Bound.of(5)), new SkipRange(Bound.of(4)))));
  }

  @Test
  void idListRangeCopiesAndExposesIds() {
    byte[] id = new byte[32];
    id[31] = 7;
    IdListRange range = IdListRange.of(Bound.INFINITY, List.of(id, new byte[32]));
    id[31] = 8;
    assertEquals(2, range.count());
    assertEquals(7, range.id(0)[31]);
    range.ids()[31] = 9;
    assertEquals(7, range.idList().get(0)[31]);
    assertThrows(
        IllegalArgumentException.class, () -> new IdListRange(Bound.INFINITY, new byte[33]));
  }

  private static void assertRejected(Reason reason, String hex) {
    NegentropyException e =
        assertThrows(NegentropyException.class, () -> NegentropyMessage.fromHex(hex));
    assertEquals(reason, e.reason(), e.getMessage());
  }

  static NegentropyMessage randomMessage(Random random) {
    int count = random.nextInt(8);
    List<Range> ranges = new ArrayList<>();
    long timestamp = random.nextBoolean() ? random.nextInt(1000) : random.nextLong() >>> 2;
    for (int i = 0; i < count; i++) {
      timestamp += random.nextInt(3) == 0 ? 0 : random.nextInt(1_000_000);
      byte[] prefix = new byte[random.nextInt(33)];
      random.nextBytes(prefix);
      Bound bound =
          i == count - 1 && random.nextBoolean() ? Bound.INFINITY : new Bound(timestamp, prefix);
      if (!ranges.isEmpty() && bound.compareTo(ranges.get(ranges.size() - 1).upperBound()) < 0) {
        timestamp += 1;
        bound = new Bound(timestamp, prefix);
      }
      switch (random.nextInt(3)) {
        case 0 -> ranges.add(new SkipRange(bound));
        case 1 -> {
          byte[] fingerprint = new byte[16];
          random.nextBytes(fingerprint);
          ranges.add(new FingerprintRange(bound, new Fingerprint(fingerprint)));
        }
        default -> {
          byte[] ids = new byte[32 * random.nextInt(4)];
          random.nextBytes(ids);
          ranges.add(new IdListRange(bound, ids));
        }
      }
    }
    return new NegentropyMessage(ranges);
  }
}
