package xchat.relay.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import xchat.protocol.event.EventId;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.Tag;
import xchat.protocol.filter.Filter;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.keys.PublicKey;
import xchat.protocol.nip40.Expiration;
import xchat.protocol.nip77.Item;
import xchat.relay.testing.TestEvents;

/**
 * The query planner against a brute-force model: whatever index it picks, a REQ must return
 * exactly what NIP-01 says, newest first, limits honoured.
 */
class EventStoreQueryTest {
  private static final long NOW = 1_750_000_000L;
  private static final Comparator<NostrEvent> NEWEST_FIRST =
      Comparator.comparingLong(NostrEvent::createdAt).reversed().thenComparing(NostrEvent::id);

  @TempDir Path dir;
  private final AtomicLong clock = new AtomicLong(NOW);
  private EventStore store;

  @BeforeEach
  void open() {
    store = EventStore.open(dir, Durability.WAL, clock::get, (event, json, sequence) -> {});
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void randomFiltersReturnWhatTheModelReturns() {
    long seed = 0x5eed_0001L;
    TestEvents events = new TestEvents(seed);
    SplittableRandom random = new SplittableRandom(seed);
    List<KeyPair> authors = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      authors.add(events.keys());
    }
    List<String> words = List.of("nostr", "java", "relay", "pekko", "rocks");
    int[] kinds = {1, 7, 1111, 1059};
    List<NostrEvent> stored = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      KeyPair author = authors.get(random.nextInt(authors.size()));
      int kind = kinds[random.nextInt(kinds.length)];
      List<Tag> tags = new ArrayList<>();
      if (random.nextInt(3) == 0 && !stored.isEmpty()) {
        tags.add(TestEvents.e(stored.get(random.nextInt(stored.size()))));
      }
      int pTags = random.nextInt(3);
      for (int p = 0; p < pTags; p++) {
        tags.add(TestEvents.p(authors.get(random.nextInt(authors.size())).publicKey()));
      }
      if (random.nextBoolean()) {
        tags.add(Tag.of("t", words.get(random.nextInt(words.size()))));
      }
      if (random.nextInt(10) == 0) {
        tags.add(Expiration.tag(NOW + random.nextInt(-100, 100)));
      }
      // Few distinct timestamps, so ties are common.
      long createdAt = NOW - 1000 + random.nextInt(60) * 10L;
      NostrEvent event = events.event(author, kind, createdAt, tags, "note " + i);
      assertInstanceOf(WriteOutcome.Stored.class, store.submit(event).toCompletableFuture().join());
      stored.add(event);
    }
    for (int round = 0; round < 400; round++) {
      List<Filter> filters = new ArrayList<>();
      int count = 1 + random.nextInt(3);
      for (int f = 0; f < count; f++) {
        filters.add(randomFilter(random, stored, authors, words, kinds));
      }
      Access access =
          random.nextBoolean()
              ? Access.ANONYMOUS
              : new Access(Set.of(authors.get(random.nextInt(authors.size())).publicKey()));
      List<NostrEvent> expected = model(stored, filters, access, 500, 5000);
      List<NostrEvent> actual = store.query(filters, access, 500, 5000);
      assertEquals(ids(expected), ids(actual),
          events.why("round " + round + " filters " + filters));
      for (Filter filter : filters) {
        NegentropyItems items = store.negentropyItems(filter, access, 10_000);
        List<NostrEvent> expectedItems =
            model(stored, List.of(filter), access, Integer.MAX_VALUE, Integer.MAX_VALUE);
        assertEquals(
            expectedItems.stream().map(e -> new Item(e.createdAt(), e.id().bytes()))
                .sorted().collect(Collectors.toList()),
            itemsOf(items),
            events.why("negentropy round " + round + " filter " + filter));
      }
    }
  }

  @Test
  void newestComeFirstAndATieGoesToTheLowestId() {
    TestEvents events = new TestEvents(0x5eed_0002L);
    KeyPair author = events.keys();
    List<NostrEvent> all = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      NostrEvent event = events.note(author, NOW - (i % 4), "tie " + i);
      store.submit(event).toCompletableFuture().join();
      all.add(event);
    }
    all.sort(NEWEST_FIRST);
    List<NostrEvent> limited = store.query(List.of(Filter.builder().limit(7).build()),
        Access.ANONYMOUS, 500, 5000);
    assertEquals(ids(all.subList(0, 7)), ids(limited), events.why("limit 7 of 20"));
  }

  @Test
  void maxLimitClampsEveryFilterAndDefaultLimitAppliesWithoutOne() {
    TestEvents events = new TestEvents(0x5eed_0003L);
    KeyPair author = events.keys();
    for (int i = 0; i < 30; i++) {
      store.submit(events.note(author, NOW - i, "n" + i)).toCompletableFuture().join();
    }
    assertEquals(10, store.query(List.of(Filter.ALL), Access.ANONYMOUS, 10, 20).size());
    assertEquals(20, store.query(List.of(Filter.builder().limit(25).build()), Access.ANONYMOUS,
        10, 20).size());
  }

  private static List<NostrEvent> model(
      List<NostrEvent> stored, List<Filter> filters, Access access, int defaultLimit,
      int maxLimit) {
    Map<EventId, NostrEvent> out = new LinkedHashMap<>();
    for (Filter filter : filters) {
      int limit = Math.min(filter.limit().orElse(defaultLimit), maxLimit);
      stored.stream()
          .filter(filter::matches)
          .filter(access::maySee)
          .filter(e -> !Expiration.isExpired(e, NOW))
          .sorted(NEWEST_FIRST)
          .limit(limit)
          .forEach(e -> out.putIfAbsent(e.id(), e));
    }
    List<NostrEvent> result = new ArrayList<>(out.values());
    result.sort(NEWEST_FIRST);
    return result;
  }

  private static Filter randomFilter(
      SplittableRandom random, List<NostrEvent> stored, List<KeyPair> authors,
      List<String> words, int[] kinds) {
    Filter.Builder filter = Filter.builder();
    if (random.nextInt(8) == 0) {
      List<EventId> ids = new ArrayList<>();
      for (int i = 0; i < 1 + random.nextInt(4); i++) {
        ids.add(stored.get(random.nextInt(stored.size())).id());
      }
      filter.ids(ids);
    }
    if (random.nextInt(3) == 0) {
      List<PublicKey> chosen = new ArrayList<>();
      for (int i = 0; i < 1 + random.nextInt(2); i++) {
        chosen.add(authors.get(random.nextInt(authors.size())).publicKey());
      }
      filter.authors(chosen);
    }
    if (random.nextInt(2) == 0) {
      filter.kinds(kinds[random.nextInt(kinds.length)], kinds[random.nextInt(kinds.length)]);
    }
    if (random.nextInt(4) == 0) {
      filter.tag('p', authors.get(random.nextInt(authors.size())).publicKey().hex());
    }
    if (random.nextInt(5) == 0) {
      filter.tag('e', stored.get(random.nextInt(stored.size())).id().hex(),
          stored.get(random.nextInt(stored.size())).id().hex());
    }
    if (random.nextInt(4) == 0) {
      filter.tag('t', words.get(random.nextInt(words.size())));
    }
    if (random.nextInt(3) == 0) {
      filter.since(NOW - 1000 + random.nextInt(60) * 10L);
    }
    if (random.nextInt(3) == 0) {
      filter.until(NOW - 1000 + random.nextInt(60) * 10L);
    }
    if (random.nextInt(2) == 0) {
      filter.limit(random.nextInt(0, 40));
    }
    return filter.build();
  }

  static List<Item> itemsOf(NegentropyItems items) {
    NegentropyItems.Items found = assertInstanceOf(NegentropyItems.Items.class, items);
    List<Item> out = new ArrayList<>();
    for (int i = 0; i < found.storage().size(); i++) {
      out.add(found.storage().item(i));
    }
    return out;
  }

  static List<String> ids(List<NostrEvent> events) {
    return events.stream().map(e -> e.id().hex()).collect(Collectors.toList());
  }
}
