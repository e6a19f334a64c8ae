package xchat.persistence.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class NoncesTest {
  private static final int PER_THREAD = 3 * Nonces.BUFFER / Aead.NONCE_LENGTH + 7;

  private static List<String> draw(int count) {
    List<String> out = new ArrayList<>(count);
    byte[] nonce = new byte[Aead.NONCE_LENGTH + 2];
    for (int i = 0; i < count; i++) {
      Nonces.next(nonce, 1);
      out.add(Arrays.toString(Arrays.copyOfRange(nonce, 1, 1 + Aead.NONCE_LENGTH)));
    }
    return out;
  }

  @Test
  void noncesOfSeveralThreadsAndPoolRefillsAreAllDistinct() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<List<String>>> drawn = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        drawn.add(pool.submit(() -> draw(PER_THREAD)));
      }
      Set<String> all = new HashSet<>();
      for (Future<List<String>> one : drawn) {
        all.addAll(one.get());
      }
      assertEquals(3 * PER_THREAD, all.size());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void nonceIsWrittenOnlyAtItsOffset() {
    byte[] out = new byte[Aead.NONCE_LENGTH + 2];
    Arrays.fill(out, (byte) 0x5a);
    Nonces.next(out, 1);
    assertEquals((byte) 0x5a, out[0]);
    assertEquals((byte) 0x5a, out[out.length - 1]);
  }

  @Test
  void theSourceIsAStrongDrbg() {
    String parameters = String.valueOf(Nonces.drbg().getParameters());
    assertTrue(parameters.contains("256"), parameters);
  }
}
