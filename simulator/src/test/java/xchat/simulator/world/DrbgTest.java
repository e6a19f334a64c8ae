package xchat.simulator.world;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class DrbgTest {
  @Test
  void oneSeedGivesOneStream() {
    Drbg a = new Drbg(42);
    Drbg b = new Drbg(42);
    byte[] x = new byte[77];
    byte[] y = new byte[77];
    a.nextBytes(x);
    b.nextBytes(y);
    assertArrayEquals(x, y);
    assertEquals(a.nextLong(), b.nextLong());
    assertEquals(a.asSecureRandom().nextInt(), b.asSecureRandom().nextInt());
  }

  @Test
  void seedsDiffer() {
    assertNotEquals(new Drbg(1).nextLong(), new Drbg(2).nextLong());
  }

  @Test
  void chanceFollowsItsRate() {
    Drbg random = new Drbg(7);
    int hits = 0;
    for (int i = 0; i < 20_000; i++) {
      hits += random.chance(0.25) ? 1 : 0;
    }
    assertEquals(0.25, hits / 20_000.0, 0.02, "seed 7");
  }
}
