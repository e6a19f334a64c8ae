package xchat.relay.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.Tag;
import xchat.protocol.filter.Filter;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.message.OkPrefix;
import xchat.protocol.nip09.Deletions;
import xchat.protocol.nip09.EventAddress;
import xchat.protocol.nip40.Expiration;
import xchat.protocol.nip77.Item;
import xchat.relay.testing.TestEvents;

/** NIP-01 replaceable and addressable events, NIP-09, NIP-59, NIP-40 and NIP-62 in the store. */
class EventStoreSemanticsTest {
  private static final long NOW = 1_750_000_000L;

  @TempDir Path dir;
  private final AtomicLong clock = new AtomicLong(NOW);
  private final List<NostrEvent> announced = new CopyOnWriteArrayList<>();
  private final TestEvents events = new TestEvents(0x5eed_0010L);
  private EventStore store;

  @BeforeEach
  void open() {
    store = EventStore.open(dir, Durability.SYNC, clock::get, (event, json, sequence) -> announced.add(event));
  }

  @AfterEach
  void close() {
    store.close();
  }

  private WriteOutcome put(NostrEvent event) {
    return store.submit(event).toCompletableFuture().join();
  }

  private List<NostrEvent> all(Access access) {
    return store.query(List.of(Filter.ALL), access, 5000, 5000);
  }

  @Test
  void aDuplicateIsAcceptedWithoutASecondCopy() {
    NostrEvent note = events.note(events.keys(), NOW, "once");
    assertInstanceOf(WriteOutcome.Stored.class, put(note));
    WriteOutcome again = put(note);
    assertTrue(again.accepted());
    assertTrue(again.message().startsWith("duplicate:"), again.message());
    assertEquals(1, store.count());
    assertEquals(List.of(note), announced, "only the first copy goes live");
  }

  @Test
  void aReplaceableEventKeepsOnlyTheNewestAndATieKeepsTheLowestId() {
    KeyPair author = events.keys();
    NostrEvent old = events.event(author, 0, NOW - 10, List.of(), "old profile");
    NostrEvent newer = events.event(author, 0, NOW, List.of(), "new profile");
    NostrEvent twin = events.event(author, 0, NOW, List.of(), "same second");
    put(old);
    put(newer);
    assertEquals(List.of(newer), all(Access.ANONYMOUS));
    WriteOutcome stale = put(old);
    assertTrue(stale.message().startsWith("duplicate:"), "an older version is not stored");
    put(twin);
    NostrEvent lower = newer.id().compareTo(twin.id()) < 0 ? newer : twin;
    assertEquals(List.of(lower), all(Access.ANONYMOUS), events.why("tie keeps the lowest id"));
  }

  @Test
  void anAddressableEventKeepsTheNewestPerIdentifier() {
    KeyPair author = events.keys();
    NostrEvent a1 = events.event(author, 30023, NOW - 5, List.of(Tag.of("d", "a")), "a v1");
    NostrEvent a2 = events.event(author, 30023, NOW, List.of(Tag.of("d", "a")), "a v2");
    NostrEvent b1 = events.event(author, 30023, NOW - 5, List.of(Tag.of("d", "b")), "b v1");
    put(a1);
    put(b1);
    put(a2);
    assertEquals(List.of(a2, b1), all(Access.ANONYMOUS));
  }

  @Test
  void aDeletionByTheAuthorRemovesTheEventForGood() {
    KeyPair author = events.keys();
    NostrEvent note = events.note(author, NOW - 5, "regret");
    put(note);
    NostrEvent deletion = events.event(author, 5, NOW, List.of(TestEvents.e(note)), "");
    assertInstanceOf(WriteOutcome.Stored.class, put(deletion));
    assertEquals(List.of(deletion), all(Access.ANONYMOUS), "the request itself stays");
    WriteOutcome back = put(note);
    assertFalse(back.accepted());
    assertTrue(back.message().startsWith("blocked:"), back.message());
  }

  @Test
  void aDeletionByAnotherKeyDeletesNothing() {
    NostrEvent note = events.note(events.keys(), NOW - 5, "mine");
    put(note);
    put(events.event(events.keys(), 5, NOW, List.of(TestEvents.e(note)), ""));
    assertTrue(store.get(note.id()).isPresent());
  }

  @Test
  void aDeletionThatArrivesFirstStillKeepsTheEventOut() {
    KeyPair author = events.keys();
    NostrEvent note = events.note(author, NOW - 5, "late");
    put(events.event(author, 5, NOW, List.of(TestEvents.e(note)), ""));
    assertFalse(put(note).accepted());
  }

  @Test
  void aDeletionByAddressRemovesVersionsUpToItsTime() {
    KeyPair author = events.keys();
    NostrEvent article = events.event(author, 30023, NOW - 5, List.of(Tag.of("d", "x")), "v1");
    put(article);
    NostrEvent deletion =
        Deletions.request(author.publicKey(), NOW,
                List.of(), List.of(new EventAddress(30023, author.publicKey(), "x")), List.of(), "")
            .sign(author, TestEvents.CURVE, new byte[32]);
    put(deletion);
    assertTrue(store.get(article.id()).isEmpty());
    NostrEvent older = events.event(author, 30023, NOW - 1, List.of(Tag.of("d", "x")), "v0");
    assertFalse(put(older).accepted(), "a version no newer than the deletion is refused");
    NostrEvent newer = events.event(author, 30023, NOW + 1, List.of(Tag.of("d", "x")), "v2");
    assertInstanceOf(WriteOutcome.Stored.class, put(newer));
  }

  @Test
  void theRecipientOfAGiftWrapDeletesIt() {
    KeyPair recipient = events.keys();
    KeyPair stranger = events.keys();
    NostrEvent wrap =
        events.event(events.keys(), 1059, NOW - 100, List.of(TestEvents.p(recipient.publicKey())),
            "sealed");
    put(wrap);
    put(events.event(stranger, 5, NOW, List.of(TestEvents.e(wrap)), ""));
    assertTrue(store.get(wrap.id()).isPresent(), "a key that is not the recipient deletes nothing");
    put(events.event(recipient, 5, NOW, List.of(TestEvents.e(wrap)), ""));
    assertTrue(store.get(wrap.id()).isEmpty());
    assertFalse(put(wrap).accepted(), "a deleted wrap is never stored again");
  }

  @Test
  void giftWrapsAreServedOnlyToTheirRecipient() {
    KeyPair recipient = events.keys();
    NostrEvent wrap =
        events.event(events.keys(), 1059, NOW - 100, List.of(TestEvents.p(recipient.publicKey())),
            "sealed");
    put(wrap);
    assertEquals(List.of(), all(Access.ANONYMOUS));
    assertEquals(List.of(), all(new Access(Set.of(events.keys().publicKey()))));
    assertEquals(List.of(wrap), all(new Access(Set.of(recipient.publicKey()))));
    Filter toRecipient =
        Filter.builder().kinds(1059).tag('p', recipient.publicKey().hex()).build();
    assertEquals(List.of(new Item(wrap.createdAt(), wrap.id().bytes())),
        EventStoreQueryTest.itemsOf(store.negentropyItems(toRecipient,
            new Access(Set.of(recipient.publicKey())), 10)));
    assertEquals(List.of(), EventStoreQueryTest.itemsOf(
        store.negentropyItems(toRecipient, Access.ANONYMOUS, 10)));
  }

  @Test
  void expiredEventsAreNeverServedAndAreSwept() {
    KeyPair author = events.keys();
    NostrEvent brief = events.event(author, 1, NOW, List.of(Expiration.tag(NOW + 60)), "soon gone");
    NostrEvent lasting = events.note(author, NOW, "stays");
    put(brief);
    put(lasting);
    assertEquals(2, all(Access.ANONYMOUS).size());
    clock.addAndGet(60);
    assertEquals(List.of(lasting), all(Access.ANONYMOUS));
    assertTrue(store.get(brief.id()).isEmpty());
    assertEquals(2, store.count(), "expired but not yet swept");
    assertEquals(1, store.sweepExpired().toCompletableFuture().join());
    assertEquals(1, store.count());
  }

  @Test
  void aRequestToVanishDeletesTheAuthorsEventsAndWrapsToThem() {
    KeyPair leaver = events.keys();
    KeyPair other = events.keys();
    NostrEvent note = events.note(leaver, NOW - 10, "bye");
    NostrEvent deletion = events.event(leaver, 5, NOW - 5,
        List.of(Tag.of("e", events.note(leaver, NOW - 20, "x").id().hex())), "");
    NostrEvent wrap = events.event(events.keys(), 1059, NOW - 3000,
        List.of(TestEvents.p(leaver.publicKey())), "dm");
    NostrEvent othersNote = events.note(other, NOW - 10, "still here");
    for (NostrEvent event : List.of(note, deletion, wrap, othersNote)) {
      put(event);
    }
    NostrEvent vanish =
        events.event(leaver, 62, NOW, List.of(Tag.of("relay", "ALL_RELAYS")), "forget me");
    assertInstanceOf(WriteOutcome.Applied.class, put(vanish));
    assertEquals(List.of(othersNote), all(new Access(Set.of(leaver.publicKey()))));
    for (NostrEvent event : List.of(note, deletion, wrap)) {
      WriteOutcome back = put(event);
      assertFalse(back.accepted(), "re-broadcast refused");
      assertTrue(back.message().startsWith(OkPrefix.BLOCKED.wire()), back.message());
    }
    assertInstanceOf(WriteOutcome.Stored.class, put(events.note(leaver, NOW + 1, "back")));
  }

  @Test
  void eventsSurviveClosingAndReopening() {
    List<NostrEvent> written = new ArrayList<>();
    KeyPair author = events.keys();
    for (int i = 0; i < 50; i++) {
      NostrEvent event = events.note(author, NOW - i, "durable " + i);
      put(event);
      written.add(event);
    }
    store.close();
    store = EventStore.open(dir, Durability.SYNC, clock::get, (event, json, sequence) -> announced.add(event));
    assertEquals(written, all(Access.ANONYMOUS));
  }

  @Test
  void tooManyItemsForOneReconciliationAreRefused() {
    KeyPair author = events.keys();
    for (int i = 0; i < 11; i++) {
      put(events.note(author, NOW - i, "item " + i));
    }
    assertEquals(10, EventStoreQueryTest.itemsOf(store.negentropyItems(
        Filter.builder().limit(10).build(), Access.ANONYMOUS, 10)).size());
    assertInstanceOf(NegentropyItems.TooMany.class,
        store.negentropyItems(Filter.ALL, Access.ANONYMOUS, 10));
  }
}
