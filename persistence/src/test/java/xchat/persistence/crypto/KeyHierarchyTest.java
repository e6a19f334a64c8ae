package xchat.persistence.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class KeyHierarchyTest {
  private static final byte[] CONTEXT = {1, 'x'};

  @Test
  void circleKeysDependOnMasterAndSecret() throws Exception {
    byte[] master = new byte[32];
    byte[] secretA = new byte[32];
    byte[] secretB = new byte[32];
    secretB[31] = 1;
    try (KeyHierarchy keys = new KeyHierarchy(master);
        KeyHierarchy.CircleKeys a = keys.circle(secretA);
        KeyHierarchy.CircleKeys sameA = keys.circle(secretA);
        KeyHierarchy.CircleKeys b = keys.circle(secretB)) {
      byte[] sealed = a.data().seal(new byte[] {5}, CONTEXT, new byte[0]);
      assertArrayEquals(new byte[] {5}, sameA.data().open(sealed, CONTEXT, new byte[0]), "derivation is stable");
      assertThrows(TagMismatchException.class, () -> b.data().open(sealed, CONTEXT, new byte[0]));
      assertThrows(TagMismatchException.class, () -> keys.globalData().open(sealed, CONTEXT, new byte[0]));
      assertFalse(Arrays.equals(a.index().hash((byte) 'R', new byte[1]), b.index().hash((byte) 'R', new byte[1])));
      assertFalse(Arrays.equals(a.index().hash((byte) 'R', new byte[1]), keys.globalIndex().hash((byte) 'R', new byte[1])));
    }
  }

  @Test
  void closeWipesTheMasterKey() {
    byte[] master = new byte[32];
    Arrays.fill(master, (byte) 3);
    KeyHierarchy keys = new KeyHierarchy(master);
    keys.close();
    assertThrows(IllegalStateException.class, () -> keys.globalData().seal(new byte[1], CONTEXT, new byte[0]));
    assertArrayEquals(new byte[32], keys.masterCopy());
  }
}
