package xchat.protocol.nip09;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import xchat.protocol.event.Tag;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.keys.PublicKey;
import xchat.protocol.message.TestEvents;

class EventAddressTest {
  static final String KEY = "f7234bd4c1394dda46d09f35bd384dd30cc552ad5541990f98844fb06676e9ca";
  static final KeyPair ALICE = TestEvents.keys("alice");

  @Test
  void parsesTheNip01ExamplesAndWritesThemBack() {
    String addressable = "30023:" + KEY + ":abcd";
    assertEquals(Optional.of(new EventAddress(30023, PublicKey.fromHex(KEY), "abcd")),
        EventAddress.parse(addressable));
    assertEquals(addressable, EventAddress.parse(addressable).orElseThrow().toTagValue());
    String replaceable = "10002:" + KEY + ":";
    assertEquals(Optional.of(new EventAddress(10002, PublicKey.fromHex(KEY), "")),
        EventAddress.parse(replaceable));
    assertEquals(replaceable, EventAddress.parse(replaceable).orElseThrow().toTagValue());
  }

  @Test
  void theIdentifierMayContainColons() {
    assertEquals("a:b:c", EventAddress.parse("30000:" + KEY + ":a:b:c").orElseThrow().identifier());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ":", "30023", "30023:" + KEY, "x:" + KEY + ":d", "-1:" + KEY + ":d",
      "65536:" + KEY + ":d", "300230:" + KEY + ":d", ":" + KEY + ":d", "30023:" + KEY + "0:d",
      "30023:ABCD:d", "30023:npub1abc:d"})
  void refusesMalformedAddresses(String value) {
    assertEquals(Optional.empty(), EventAddress.parse(value), value);
  }

  @Test
  void namesVersionsOfAnAddressableEventByDTag() {
    EventAddress address = new EventAddress(30078, ALICE.publicKey(), "settings");
    assertTrue(address.names(TestEvents.event(ALICE, 1, 30078, "", Tag.of("d", "settings"))));
    assertFalse(address.names(TestEvents.event(ALICE, 1, 30078, "", Tag.of("d", "other"))));
    assertFalse(address.names(TestEvents.event(ALICE, 1, 30079, "", Tag.of("d", "settings"))));
    assertFalse(address.names(
        TestEvents.event(TestEvents.keys("mallory"), 1, 30078, "", Tag.of("d", "settings"))));
    EventAddress empty = new EventAddress(30078, ALICE.publicKey(), "");
    assertTrue(empty.names(TestEvents.event(ALICE, 1, 30078, "")));
  }

  @Test
  void namesAReplaceableEventByKindAndAuthorAlone() {
    EventAddress relays = new EventAddress(10050, ALICE.publicKey(), "");
    assertTrue(relays.names(TestEvents.event(ALICE, 1, 10050, "", Tag.of("relay", "wss://x"))));
  }

  @Test
  void namesNoRegularEvent() {
    EventAddress note = new EventAddress(1, ALICE.publicKey(), "");
    assertFalse(note.names(TestEvents.event(ALICE, 1, 1, "")));
  }
}
