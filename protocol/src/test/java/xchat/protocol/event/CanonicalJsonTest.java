package xchat.protocol.event;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import xchat.protocol.keys.PublicKey;

class CanonicalJsonTest {
  private static final PublicKey KEY =
      PublicKey.fromHex("79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
  private static final String ALPHABET = "aZ09+/= \"\\\n\r\t\b\f\u0001\u001f\u007f\u00e9\u0800\u20ac\ud83d\ude00";

  @Test
  void serialisesEveryMixOfPlainEscapedAndMultiByteTextAsNip01Says() throws Exception {
    long seed = new SplittableRandom().nextLong();
    SplittableRandom random = new SplittableRandom(seed);
    for (int round = 0; round < 2000; round++) {
      String content = text(random, random.nextInt(300));
      String value = text(random, random.nextInt(40));
      Tags tags = Tags.of(Tag.of("p", value), Tag.of("t", text(random, random.nextInt(5))));
      String expected = "[0,\"" + KEY.hex() + "\",1700000000,1,[[\"p\"," + quote(value) + "],[\"t\","
          + quote(tags.list().get(1).values().get(1)) + "]]," + quote(content) + "]";
      byte[] bytes = expected.getBytes(StandardCharsets.UTF_8);
      assertArrayEquals(bytes, CanonicalJson.serialize(KEY, 1_700_000_000L, 1, tags, content),
          "seed " + seed + ", round " + round);
      assertEquals(new EventId(MessageDigest.getInstance("SHA-256").digest(bytes)),
          CanonicalJson.id(KEY, 1_700_000_000L, 1, tags, content), "seed " + seed + ", round " + round);
    }
  }

  /** Printable ASCII runs, broken by escapes, controls and multi-byte characters (whole surrogate pairs). */
  private static String text(SplittableRandom random, int length) {
    StringBuilder out = new StringBuilder();
    while (out.length() < length) {
      int pick = random.nextInt(ALPHABET.length() - 1);
      if (random.nextInt(4) > 0) {
        out.append((char) (0x20 + random.nextInt(0x5f))); // printable ASCII, the common case
      } else if (Character.isHighSurrogate(ALPHABET.charAt(pick))) {
        out.append(ALPHABET, pick, pick + 2);
      } else if (!Character.isLowSurrogate(ALPHABET.charAt(pick))) {
        out.append(ALPHABET.charAt(pick));
      }
    }
    return out.toString();
  }

  /** The NIP-01 rule written plainly: seven characters escaped, every other one verbatim. */
  private static String quote(String value) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      switch (c) {
        case '\n' -> out.append("\\n");
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
