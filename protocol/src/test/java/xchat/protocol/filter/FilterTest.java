package xchat.protocol.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import xchat.protocol.event.EventId;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.Tag;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.message.TestEvents;

class FilterTest {
  static final KeyPair ALICE = TestEvents.keys("alice");
  static final KeyPair BOB = TestEvents.keys("bob");
  static final String OTHER_ID = "aa".repeat(32);
  static final String PEER = BOB.publicKey().hex();

  /** kind 1059 at t=1000 by alice, tagged p=bob, e=OTHER_ID, t=chat, with a bare ["x"] tag. */
  static final NostrEvent EVENT =
      TestEvents.event(ALICE, 1000, 1059, "hi",
          Tag.of("p", PEER, "wss://relay.example"), Tag.of("e", OTHER_ID), Tag.of("t", "chat"),
          Tag.of("x"), Tag.of("tt", "long-name"));

  static Stream<Arguments> table() {
    return Stream.of(
        row("the empty filter", Filter.ALL, true),
        row("its own id", Filter.builder().ids(EVENT.id()).build(), true),
        row("another id", Filter.builder().ids(EventId.fromHex(OTHER_ID)).build(), false),
        row("one of several ids", Filter.builder().ids(EventId.fromHex(OTHER_ID), EVENT.id()).build(), true),
        row("its author", Filter.builder().authors(ALICE.publicKey()).build(), true),
        row("another author", Filter.builder().authors(BOB.publicKey()).build(), false),
        row("its kind", Filter.builder().kinds(1, 1059).build(), true),
        row("other kinds", Filter.builder().kinds(1, 1058, 1060).build(), false),
        row("#p of the peer", Filter.builder().tag('p', PEER).build(), true),
        row("#p of the author", Filter.builder().tag('p', ALICE.publicKey().hex()).build(), false),
        row("#e of the referenced id", Filter.builder().tag('e', OTHER_ID).build(), true),
        row("#t with one matching value", Filter.builder().tag('t', "news", "chat").build(), true),
        row("#t with no matching value", Filter.builder().tag('t', "news").build(), false),
        row("#T: tag letters are case-sensitive", Filter.builder().tag('T', "chat").build(), false),
        row("#r: the relay hint (element 2) is not indexed",
            Filter.builder().tag('p', "bb".repeat(32)).tag('r', "wss://relay.example").build(), false),
        row("#x: a tag without a value never matches", Filter.builder().tag('x', "").build(), false),
        row("#t on a multi-letter tag name", Filter.builder().tag('t', "long-name").build(), false),
        row("since equal to created_at", Filter.builder().since(1000).build(), true),
        row("since one after", Filter.builder().since(1001).build(), false),
        row("until equal to created_at", Filter.builder().until(1000).build(), true),
        row("until one before", Filter.builder().until(999).build(), false),
        row("since = until = created_at", Filter.builder().since(1000).until(1000).build(), true),
        row("since after until", Filter.builder().since(1001).until(999).build(), false),
        row("limit 0 does not affect matching", Filter.builder().limit(0).build(), true),
        row("every condition holding",
            Filter.builder().ids(EVENT.id()).authors(ALICE.publicKey()).kinds(1059)
                .tag('p', PEER).tag('e', OTHER_ID).since(1).until(2000).limit(5).build(), true),
        row("every condition but one (kind)",
            Filter.builder().ids(EVENT.id()).authors(ALICE.publicKey()).kinds(14)
                .tag('p', PEER).since(1).until(2000).build(), false),
        row("every condition but one (tag)",
            Filter.builder().authors(ALICE.publicKey()).kinds(1059).tag('p', PEER)
                .tag('t', "news").build(), false));
  }

  static Arguments row(String name, Filter filter, boolean expected) {
    return Arguments.of(name, filter, expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void matchesExactlyAsNip01Says(String name, Filter filter, boolean expected) {
    assertEquals(expected, filter.matches(EVENT), name);
  }

  @Test
  void severalFiltersAreOred() {
    Filter wrongKind = Filter.builder().kinds(1).build();
    Filter wrongAuthor = Filter.builder().authors(BOB.publicKey()).build();
    Filter right = Filter.builder().tag('p', PEER).build();
    assertFalse(Filter.anyMatch(List.of(wrongKind, wrongAuthor), EVENT));
    assertTrue(Filter.anyMatch(List.of(wrongKind, wrongAuthor, right), EVENT));
    assertFalse(Filter.anyMatch(List.of(), EVENT));
  }

  @Test
  void refusesAPresentButEmptyListSoItCannotMatchEverything() {
    assertThrows(IllegalArgumentException.class, () -> Filter.builder().ids(List.of()).build());
    assertThrows(IllegalArgumentException.class, () -> Filter.builder().authors(List.of()).build());
    assertThrows(IllegalArgumentException.class, () -> Filter.builder().kinds().build());
    assertThrows(IllegalArgumentException.class, () -> Filter.builder().tag('t').build());
  }

  @Test
  void refusesValuesNip01Forbids() {
    assertThrows(IllegalArgumentException.class, () -> Filter.builder().kinds(65536).build());
    assertThrows(IllegalArgumentException.class, () -> Filter.builder().kinds(-1).build());
    assertThrows(IllegalArgumentException.class, () -> Filter.builder().since(-1).build());
    assertThrows(IllegalArgumentException.class, () -> Filter.builder().until(-1).build());
    assertThrows(IllegalArgumentException.class, () -> Filter.builder().limit(-1).build());
    assertThrows(IllegalArgumentException.class, () -> Filter.builder().tag('1', "x").build());
    assertThrows(IllegalArgumentException.class, () -> Filter.builder().tag('p', "AA".repeat(32)).build());
    assertThrows(IllegalArgumentException.class, () -> Filter.builder().tag('e', "abc").build());
    assertThrows(IllegalArgumentException.class, () -> Filter.builder().tag('t', "\uD800").build());
  }

  @Test
  void equalFiltersAreEqualWhateverTheInsertionOrder() {
    Filter a = Filter.builder().kinds(3, 1, 2).tag('t', "b", "a").build();
    Filter b = Filter.builder().kinds(2, 3, 1).tag('t', "a", "b").build();
    assertEquals(a, b);
    assertEquals(List.of(1, 2, 3), List.copyOf(a.kinds().get()));
    assertEquals(FilterJson.toJson(a), FilterJson.toJson(b));
  }

  @Test
  void theCanonicalConstructorCopiesItsInputs() {
    java.util.HashSet<Integer> kinds = new java.util.HashSet<>(Set.of(1));
    Filter filter = new Filter(Optional.empty(), Optional.empty(), Optional.of(kinds), Map.of(),
        OptionalLong.empty(), OptionalLong.empty(), OptionalInt.empty());
    kinds.add(1059);
    assertFalse(filter.matches(EVENT));
    assertThrows(UnsupportedOperationException.class, () -> filter.kinds().get().add(1059));
  }
}
