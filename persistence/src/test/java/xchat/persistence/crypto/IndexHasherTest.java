package xchat.persistence.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class IndexHasherTest {
  @Test
  void hashIsTruncatedHmacOfDomainAndInput() throws Exception {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) 7);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    mac.update((byte) 'R');
    byte[] expected = Arrays.copyOf(mac.doFinal(new byte[] {1, 2, 3}), 16);
    try (IndexHasher hasher = new IndexHasher(key)) {
      assertArrayEquals(expected, hasher.hash((byte) 'R', new byte[] {1, 2, 3}));
      assertArrayEquals(expected, hasher.hash((byte) 'R', new byte[] {1, 2, 3}), "deterministic");
      assertFalse(Arrays.equals(expected, hasher.hash((byte) 'E', new byte[] {1, 2, 3})), "domains separate");
    }
  }

  @Test
  void differentKeysGiveUnlinkableHashes() {
    byte[] a = new byte[32];
    byte[] b = new byte[32];
    b[0] = 1;
    try (IndexHasher first = new IndexHasher(a); IndexHasher second = new IndexHasher(b)) {
      assertFalse(Arrays.equals(first.hash((byte) 'R', new byte[32]), second.hash((byte) 'R', new byte[32])));
    }
  }

  @Test
  void closedHasherRefusesWork() {
    IndexHasher hasher = new IndexHasher(new byte[32]);
    hasher.close();
    assertThrows(IllegalStateException.class, () -> hasher.hash((byte) 'R', new byte[1]));
  }
}
