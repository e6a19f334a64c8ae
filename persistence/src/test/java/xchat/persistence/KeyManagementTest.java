package xchat.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xchat.persistence.crypto.ScryptParams;
import xchat.persistence.crypto.TagMismatchException;
import xchat.persistence.log.ConversationId;
import xchat.persistence.record.KeyRing;
import xchat.protocol.event.Rumor;

class KeyManagementTest {
  private static final CircleId HOME = CircleId.of("home");
  private static final CircleId CLUB = CircleId.of("club");

  @TempDir Path dir;

  @Test
  void wrongPassphraseOpensNothing() {
    EncryptedStore.create(dir, Fixtures.passphrase(), Fixtures.OPTIONS).close();
    WrongPassphraseException error =
        assertThrows(
            WrongPassphraseException.class,
            () -> EncryptedStore.open(dir, "not the passphrase".toCharArray(), Fixtures.OPTIONS));
    assertTrue(error.getMessage().contains("passphrase"));
    // The failed attempt released the lock and every native resource: a correct open works.
    EncryptedStore.open(dir, Fixtures.passphrase(), Fixtures.OPTIONS).close();
  }

  @Test
  void passphraseChangeKeepsDataAndRetiresTheOldPassphrase() throws Exception {
    Random random = new Random(21);
    ConversationId conversation = Fixtures.conversation(random);
    Rumor rumor = Fixtures.rumor(random, 42, "survives a passphrase change");
    char[] next = "a much better passphrase".toCharArray();
    byte[] logValueBefore;
    try (EncryptedStore store = EncryptedStore.create(dir, Fixtures.passphrase(), Fixtures.OPTIONS)) {
      store.createCircle(HOME);
      store.batch().appendMessage(HOME, conversation, rumor).commit();
      assertThrows(WrongPassphraseException.class, () -> store.changePassphrase("wrong".toCharArray(), next));
    }
    try (RawDb raw = new RawDb(dir)) {
      logValueBefore = onlyValue(raw, Cf.MESSAGES);
    }
    try (EncryptedStore store = EncryptedStore.open(dir, Fixtures.passphrase(), Fixtures.OPTIONS)) {
      store.changePassphrase(Fixtures.passphrase(), next);
      assertEquals(rumor, store.message(HOME, rumor.id()).orElseThrow().rumor(), "still readable while open");
    }
    assertThrows(WrongPassphraseException.class, () -> EncryptedStore.open(dir, Fixtures.passphrase(), Fixtures.OPTIONS));
    try (EncryptedStore store = EncryptedStore.open(dir, next, Fixtures.OPTIONS)) {
      assertEquals(rumor, store.message(HOME, rumor.id()).orElseThrow().rumor());
    }
    try (RawDb raw = new RawDb(dir)) {
      assertTrue(Arrays.equals(logValueBefore, onlyValue(raw, Cf.MESSAGES)), "data is not re-encrypted");
    }
  }

  @Test
  void passphraseChangeUsesTheHandlesScryptParameters() throws Exception {
    ScryptParams stronger = new ScryptParams(11, 8, 1);
    EncryptedStore.create(dir, Fixtures.passphrase(), Fixtures.OPTIONS).close();
    try (EncryptedStore store = EncryptedStore.open(dir, Fixtures.passphrase(), Fixtures.OPTIONS.withScrypt(stronger))) {
      store.changePassphrase(Fixtures.passphrase(), "next".toCharArray());
    }
    try (RawDb raw = new RawDb(dir)) {
      KeyRing ring = KeyRing.parseFrom(raw.get(Cf.META, Keys.META_KEYRING));
      assertEquals(11, ring.getLog2N());
    }
  }

  @Test
  void deletingACircleShredsItAndSparesTheOthers() throws Exception {
    Random random = new Random(22);
    ConversationId conversation = Fixtures.conversation(random);
    Rumor homeRumor = Fixtures.rumor(random, 10, "home message");
    Rumor clubRumor = Fixtures.rumor(random, 11, "club message");
    byte[] clubPrefix;
    List<byte[]> sealedClubValues = new ArrayList<>();
    byte[] clubLogKey;
    try (EncryptedStore store = EncryptedStore.create(dir, Fixtures.passphrase(), Fixtures.OPTIONS)) {
      store.createCircle(HOME);
      store.createCircle(CLUB);
      store.batch()
          .appendMessage(HOME, conversation, homeRumor)
          .appendMessage(CLUB, conversation, clubRumor)
          .recordEvent(CLUB, Fixtures.wrap(random, 5, clubRumor.event().pubkey()))
          .advanceCursor(CLUB, "wss://club.example", new xchat.persistence.cursor.SyncCursor(5, 5))
          .commit();
      clubPrefix = store.circle(CLUB).prefix.clone();
    }
    try (RawDb raw = new RawDb(dir)) {
      clubLogKey = keysWithPrefix(raw, Cf.MESSAGES, clubPrefix).get(0);
      sealedClubValues.add(raw.get(Cf.MESSAGES, clubLogKey));
    }
    try (EncryptedStore store = EncryptedStore.open(dir, Fixtures.passphrase(), Fixtures.OPTIONS)) {
      assertTrue(store.deleteCircle(CLUB));
      assertFalse(store.deleteCircle(CLUB));
      assertEquals(List.of(HOME), store.circles());
      assertEquals(homeRumor, store.message(HOME, homeRumor.id()).orElseThrow().rumor());
    }
    try (RawDb raw = new RawDb(dir)) {
      for (Cf cf : Cf.values()) {
        if (cf.perCircle) {
          assertEquals(List.of(), keysWithPrefix(raw, cf, clubPrefix), "keys left in " + cf.cfName);
        }
      }
      // The log is keyed seq || prefix: the club's entry is gone, the home one stays.
      List<byte[]> log = raw.keys(Cf.LOG);
      assertEquals(1, log.size(), "one log entry left");
      assertFalse(Arrays.equals(log.get(0), 8, Circle.LOG_KEY, clubPrefix, 0, Keys.PREFIX), "the club's log entry is gone");
      assertEquals(null, raw.get(Cf.META, Keys.metaCircleKey(clubPrefix)));
    }
    try (EncryptedStore store = EncryptedStore.open(dir, Fixtures.passphrase(), Fixtures.OPTIONS)) {
      assertEquals(homeRumor, store.message(HOME, homeRumor.id()).orElseThrow().rumor());
      assertTrue(store.createCircle(CLUB));
      assertTrue(Arrays.equals(clubPrefix, store.circle(CLUB).prefix), "same id, same prefix");
      // With the old secret gone, the re-created circle's key cannot open the old ciphertext,
      // even with its original key bytes as associated data.
      assertThrows(TagMismatchException.class,
          () -> store.circle(CLUB).data.open(sealedClubValues.get(0), Cf.MESSAGES.context, clubLogKey));
      assertTrue(store.message(CLUB, clubRumor.id()).isEmpty());
    }
  }

  @Test
  void closeWipesTheKeys() {
    EncryptedStore store = EncryptedStore.create(dir, Fixtures.passphrase(), Fixtures.OPTIONS);
    store.createCircle(HOME);
    Circle circle = store.circle(HOME);
    assertNotNull(circle);
    assertFalse(circle.data.isClosed());
    store.close();
    assertTrue(circle.data.isClosed());
    assertTrue(store.globalData().isClosed());
    assertThrows(IllegalStateException.class, () -> circle.hash(Keys.DOMAIN_RUMOR, new byte[32]));
  }

  @Test
  void keyringWithOutOfRangeCostIsReportedNotObeyed() throws Exception {
    EncryptedStore.create(dir, Fixtures.passphrase(), Fixtures.OPTIONS).close();
    try (RawDb raw = new RawDb(dir)) {
      KeyRing ring = KeyRing.parseFrom(raw.get(Cf.META, Keys.META_KEYRING));
      raw.put(Cf.META, Keys.META_KEYRING, ring.toBuilder().setLog2N(40).build().toByteArray());
    }
    StoreCorruptedException error =
        assertThrows(StoreCorruptedException.class, () -> EncryptedStore.open(dir, Fixtures.passphrase(), Fixtures.OPTIONS));
    assertTrue(error.getMessage().contains("keyring"), error.getMessage());
  }

  @Test
  void keyringWithCheaperCostIsDetected() throws Exception {
    EncryptedStore.create(dir, Fixtures.passphrase(), Fixtures.OPTIONS.withScrypt(new ScryptParams(11, 8, 1))).close();
    try (RawDb raw = new RawDb(dir)) {
      KeyRing ring = KeyRing.parseFrom(raw.get(Cf.META, Keys.META_KEYRING));
      raw.put(Cf.META, Keys.META_KEYRING, ring.toBuilder().setLog2N(10).build().toByteArray());
    }
    assertThrows(WrongPassphraseException.class, () -> EncryptedStore.open(dir, Fixtures.passphrase(), Fixtures.OPTIONS));
  }

  private static byte[] onlyValue(RawDb raw, Cf cf) {
    List<byte[]> values = new ArrayList<>();
    raw.forEach(cf, (key, value) -> values.add(value));
    assertEquals(1, values.size());
    return values.get(0);
  }

  private static List<byte[]> keysWithPrefix(RawDb raw, Cf cf, byte[] prefix) {
    return raw.keys(cf).stream().filter(key -> Keys.startsWith(key, prefix)).toList();
  }
}
