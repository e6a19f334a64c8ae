package xchat.persistence.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IdCipherTest {
  @Test
  void decryptInvertsEncryptAtAnyOffset() {
    Random random = new Random(61);
    byte[] key = new byte[32];
    random.nextBytes(key);
    try (IdCipher cipher = new IdCipher(key)) {
      for (int i = 0; i < 100; i++) {
        byte[] id = new byte[32];
        random.nextBytes(id);
        byte[] framed = new byte[56];
        cipher.encrypt(id, framed, 24);
        assertFalse(Arrays.equals(id, Arrays.copyOfRange(framed, 24, 56)), "seed 61");
        byte[] back = new byte[32];
        cipher.decrypt(framed, 24, back);
        assertArrayEquals(id, back, "seed 61");
      }
    }
  }

  @Test
  void outputDependsOnTheKey() {
    byte[] id = new byte[32];
    byte[] a = new byte[32];
    byte[] b = new byte[32];
    try (IdCipher first = new IdCipher(new byte[32]); IdCipher second = new IdCipher(key(1))) {
      first.encrypt(id, a, 0);
      second.encrypt(id, b, 0);
    }
    assertFalse(Arrays.equals(a, b));
  }

  @Test
  void closedCipherRefusesWork() {
    IdCipher cipher = new IdCipher(new byte[32]);
    cipher.close();
    assertThrows(IllegalStateException.class, () -> cipher.encrypt(new byte[32], new byte[32], 0));
  }

  private static byte[] key(int first) {
    byte[] key = new byte[32];
    key[0] = (byte) first;
    return key;
  }
}
