package xchat.protocol.nip77;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import xchat.protocol.hex.Hex;

class VarintTest {

  @Test
  void encodesMostSignificantDigitFirstWithContinuationBits() {
    assertEquals("00", Hex.encode(Varint.encode(0)));
    assertEquals("7f", Hex.encode(Varint.encode(127)));
    assertEquals("8100", Hex.encode(Varint.encode(128)));
    assertEquals("ff7f", Hex.encode(Varint.encode(16_383)));
    assertEquals("818000", Hex.encode(Varint.encode(16_384)));
    // hoytech/negentropy Kotlin MessageBuilderTest: timestamp 1678011277 is encoded as varint(t +
    // 1).
    assertEquals("86a091d70e", Hex.encode(Varint.encode(1_678_011_278L)));
  }

  @Test
  void encodesTheLargestUnsignedValueInTenBytes() {
    assertEquals("81ffffffffffffffff7f", Hex.encode(Varint.encode(-1L)));
    assertEquals(10, Varint.size(-1L));
  }

  @Test
  void sizeMatchesEncodedLengthForRandomValues() {
    long seed = 0x5eed_0001L;
    Random random = new Random(seed);
    for (int i = 0; i < 10_000; i++) {
      long value = random.nextLong() >>> random.nextInt(64);
      assertEquals(
          Varint.encode(value).length, Varint.size(value), "seed " + seed + " value " + value);
    }
  }
}
