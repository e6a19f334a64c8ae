package xchat.protocol.nip40;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.Tag;
import xchat.protocol.event.Tags;
import xchat.protocol.event.UnsignedEvent;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.message.TestEvents;

class ExpirationTest {
  static final KeyPair ALICE = TestEvents.keys("alice");

  @Test
  void readsTheNip40Example() {
    NostrEvent event = TestEvents.event(ALICE, 1000000000, 1, "temporary",
        Tag.of("expiration", "1600000000"));
    assertEquals(OptionalLong.of(1600000000L), Expiration.of(event));
  }

  @Test
  void expiresAtTheTaggedSecondNotAfter() {
    NostrEvent event = TestEvents.event(ALICE, 1000, 1, "", Tag.of("expiration", "2000"));
    assertFalse(Expiration.isExpired(event, 1999));
    assertTrue(Expiration.isExpired(event, 2000));
    assertTrue(Expiration.isExpired(event, 2001));
  }

  @Test
  void anEventWithoutTheTagNeverExpires() {
    NostrEvent event = TestEvents.event(ALICE, 1000, 1, "", Tag.of("t", "x"));
    assertEquals(OptionalLong.empty(), Expiration.of(event));
    assertFalse(Expiration.isExpired(event, Long.MAX_VALUE));
    assertFalse(Expiration.hasMalformedTag(event.tags()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " 2000", "2000 ", "+2000", "-2000", "2e3", "2000.0", "0x7d0",
      "\u0662\u0660\u0660\u0660", "9223372036854775808", "99999999999999999999"})
  void aMalformedValueSetsNoExpirationButIsReported(String value) {
    Tags tags = Tags.of(Tag.of("expiration", value));
    assertEquals(OptionalLong.empty(), Expiration.of(tags), value);
    assertFalse(Expiration.isExpired(tags, Long.MAX_VALUE), value);
    assertTrue(Expiration.hasMalformedTag(tags), value);
  }

  @Test
  void aTagWithoutAValueIsMalformed() {
    assertTrue(Expiration.hasMalformedTag(Tags.of(Tag.of("expiration"))));
    assertEquals(OptionalLong.empty(), Expiration.of(Tags.of(Tag.of("expiration"))));
  }

  @Test
  void acceptsTheLargestRepresentableTimestampAndLeadingZeros() {
    assertEquals(OptionalLong.of(Long.MAX_VALUE),
        Expiration.of(Tags.of(Tag.of("expiration", Long.toString(Long.MAX_VALUE)))));
    assertEquals(OptionalLong.of(7), Expiration.of(Tags.of(Tag.of("expiration", "007"))));
  }

  @Test
  void theEarliestOfSeveralValidTagsWins() {
    Tags tags = Tags.of(Tag.of("expiration", "3000"), Tag.of("expiration", "oops"),
        Tag.of("expiration", "2000"), Tag.of("expiration", "2500"));
    assertEquals(OptionalLong.of(2000), Expiration.of(tags));
    assertTrue(Expiration.hasMalformedTag(tags));
  }

  @Test
  void addingAnExpirationReplacesAnyEarlierOneAndKeepsOtherTags() {
    UnsignedEvent event = new UnsignedEvent(ALICE.publicKey(), 1000, 14, Tags.of(
        Tag.of("p", "aa".repeat(32)), Tag.of("expiration", "5000"), Tag.of("subject", "s")), "hi");
    UnsignedEvent expiring = Expiration.withExpiration(event, 1500);
    assertEquals(List.of(Tag.of("p", "aa".repeat(32)), Tag.of("subject", "s"),
        Tag.of("expiration", "1500")), expiring.tags().list());
    NostrEvent signed = TestEvents.sign(ALICE, expiring);
    assertEquals(OptionalLong.of(1500), Expiration.of(signed));
    assertTrue(Expiration.isExpired(signed, 1500));
  }

  @Test
  void refusesANegativeExpiration() {
    assertThrows(IllegalArgumentException.class, () -> Expiration.tag(-1));
  }
}
