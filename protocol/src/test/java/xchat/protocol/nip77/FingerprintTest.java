package xchat.protocol.nip77;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import xchat.protocol.hex.Hex;

class FingerprintTest {
  // Known answers from hoytech/negentropy kotlin/src/test/.../FingerprintTest.kt, rechecked with an
  // independent Python computation before being copied here.
  static final String ID_A = "eb6b05c2e3b008592ac666594d78ed83e7b9ab30f825b9b08878128f7500008c";
  static final String ID_B = "39b916432333e069a4386917609215cc688eb99f06fed01aadc29b1b4b92d6f0";
  static final String ID_C = "abc81d58ebe3b9a87100d47f58bf15e9b1cbf62d38623f11d0f0d17179f5f3ba";

  @Test
  void matchesReferenceKnownAnswers() {
    SortedVectorStorage storage =
        SortedVectorStorage.of(
            List.of(
                new Item(1_678_011_277L, Hex.decode(ID_A)),
                new Item(1_678_011_278L, Hex.decode(ID_B)),
                new Item(1_678_011_279L, Hex.decode(ID_C))));
    assertEquals("6d74e1212fcafc8a81d090f0ffbde8b0", hex(storage.fingerprint(0, 1)));
    assertEquals("96b26d110825d4b1805fc56988a3e65d", hex(storage.fingerprint(0, 2)));
    assertEquals("c15ce60f185fd24ae341076caa93daa5", hex(storage.fingerprint(0, 3)));
  }

  @Test
  void emptyRangeHashesZeroSumAndZeroCount() {
    assertEquals(
        "7f9c9e31ac8256ca2f258583df262dbc", hex(new FingerprintAccumulator().fingerprint()));
    assertEquals(
        "7f9c9e31ac8256ca2f258583df262dbc", hex(SortedVectorStorage.empty().fingerprint(0, 0)));
  }

  @Test
  void sumWrapsModulo2To256() {
    byte[] ones = new byte[32];
    Arrays.fill(ones, (byte) 0xff);
    byte[] one = new byte[32];
    one[0] = 1;
    FingerprintAccumulator accumulator = new FingerprintAccumulator();
    accumulator.add(ones);
    accumulator.add(one);
    // (2^256 - 1) + 1 wraps to 0, so only the count distinguishes it from the empty range.
    assertArrayEquals(
        ReferenceModel.fingerprint(List.of(new byte[32], new byte[32])),
        accumulator.fingerprint().bytes());
  }

  @Test
  void accumulatorAndPrefixSumsAgreeWithNaiveModelOnRandomRanges() {
    long seed = 0x5eed_0002L;
    Random random = new Random(seed);
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      byte[] id = new byte[32];
      random.nextBytes(id);
      if (i % 7 == 0) {
        Arrays.fill(id, 0, 24 + random.nextInt(8), (byte) 0xff); // stress carries
      }
      items.add(new Item(random.nextInt(50), id));
    }
    SortedVectorStorage storage = SortedVectorStorage.of(items);
    for (int trial = 0; trial < 500; trial++) {
      int begin = random.nextInt(storage.size() + 1);
      int end = begin + random.nextInt(storage.size() - begin + 1);
      List<byte[]> ids = new ArrayList<>();
      FingerprintAccumulator accumulator = new FingerprintAccumulator();
      for (int i = begin; i < end; i++) {
        ids.add(storage.id(i));
        accumulator.add(storage.id(i));
      }
      byte[] expected = ReferenceModel.fingerprint(ids);
      String context = "seed " + seed + " range [" + begin + ", " + end + ")";
      assertArrayEquals(expected, storage.fingerprint(begin, end).bytes(), context);
      assertArrayEquals(expected, accumulator.fingerprint().bytes(), context);
    }
  }

  @Test
  void rejectsWrongLengths() {
    assertThrows(IllegalArgumentException.class, () -> new Fingerprint(new byte[15]));
    assertThrows(
        IllegalArgumentException.class, () -> new FingerprintAccumulator().add(new byte[31]));
  }

  @Test
  void copiesBytesInAndOut() {
    byte[] bytes = new byte[16];
    Fingerprint fingerprint = new Fingerprint(bytes);
    bytes[0] = 1;
    fingerprint.bytes()[1] = 1;
    assertArrayEquals(new byte[16], fingerprint.bytes());
  }

  private static String hex(Fingerprint fingerprint) {
    return Hex.encode(fingerprint.bytes());
  }
}
