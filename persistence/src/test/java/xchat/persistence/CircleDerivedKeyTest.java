package xchat.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CircleDerivedKeyTest {
  private static final CircleId HOME = CircleId.of("home");
  private static final CircleId CLUB = CircleId.of("club");
  private static final String PURPOSE = "xchat/media-cache/v1";

  @TempDir Path dir;

  @Test
  void aDerivedKeySurvivesReopeningAndDiffersByCircleAndPurpose() {
    byte[] home;
    byte[] club;
    try (EncryptedStore store = EncryptedStore.create(dir, Fixtures.passphrase(), Fixtures.OPTIONS)) {
      store.createCircle(HOME);
      store.createCircle(CLUB);
      home = store.circleDerivedKey(HOME, PURPOSE);
      club = store.circleDerivedKey(CLUB, PURPOSE);
      assertEquals(32, home.length);
      assertFalse(Arrays.equals(home, club), "two circles share a key");
      assertFalse(Arrays.equals(home, store.circleDerivedKey(HOME, "another purpose")), "two purposes share a key");
      assertFalse(Arrays.equals(Arrays.copyOf(home, 16), Arrays.copyOfRange(home, 16, 32)), "the halves repeat");
    }
    try (EncryptedStore store = EncryptedStore.open(dir, Fixtures.passphrase(), Fixtures.OPTIONS)) {
      assertArrayEquals(home, store.circleDerivedKey(HOME, PURPOSE));
      assertArrayEquals(club, store.circleDerivedKey(CLUB, PURPOSE));
    }
  }

  @Test
  void deletingTheCircleMakesItsKeyUnderivableEvenUnderTheSameName() {
    try (EncryptedStore store = EncryptedStore.create(dir, Fixtures.passphrase(), Fixtures.OPTIONS)) {
      store.createCircle(CLUB);
      byte[] before = store.circleDerivedKey(CLUB, PURPOSE);
      store.deleteCircle(CLUB);
      assertThrows(UnknownCircleException.class, () -> store.circleDerivedKey(CLUB, PURPOSE));
      store.createCircle(CLUB);
      assertFalse(Arrays.equals(before, store.circleDerivedKey(CLUB, PURPOSE)), "a new circle got the old key");
    }
  }
}
