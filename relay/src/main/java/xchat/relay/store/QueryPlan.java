package xchat.relay.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import xchat.protocol.filter.Filter;
import xchat.protocol.keys.PublicKey;

/**
 * Which index answers one filter, and with which prefixes. A filter with ids is answered by point
 * reads. Otherwise each condition that has an index (one tag letter, authors, kinds) is a
 * candidate; {@link EventStore} probes the candidates and keeps the one with the fewest entries.
 */
record QueryPlan(Index index, char letter, List<byte[]> prefixes, List<String> tagValues) {

  enum Index {
    IDS,
    TAG,
    AUTHOR,
    KIND,
    TIME
  }

  static final QueryPlan IDS = new QueryPlan(Index.IDS, ' ', List.of(), List.of());
  static final QueryPlan TIME = new QueryPlan(Index.TIME, ' ', List.of(new byte[0]), List.of());

  /** Every plan that could answer {@code filter}, most selective kind of index first. */
  static List<QueryPlan> candidates(Filter filter) {
    if (filter.ids().isPresent()) {
      return List.of(IDS);
    }
    List<QueryPlan> plans = new ArrayList<>();
    for (Map.Entry<Character, Set<String>> tag : filter.tags().entrySet()) {
      List<byte[]> prefixes = new ArrayList<>();
      List<String> values = new ArrayList<>();
      for (String value : tag.getValue()) {
        prefixes.add(Keys.tagPrefix(tag.getKey(), value));
        values.add(value);
      }
      plans.add(new QueryPlan(Index.TAG, tag.getKey(), prefixes, values));
    }
    filter.authors().ifPresent(authors -> {
      List<byte[]> prefixes = new ArrayList<>();
      for (PublicKey author : authors) {
        prefixes.add(author.bytes());
      }
      plans.add(new QueryPlan(Index.AUTHOR, ' ', prefixes, List.of()));
    });
    filter.kinds().ifPresent(kinds -> {
      List<byte[]> prefixes = new ArrayList<>();
      for (int kind : kinds) {
        prefixes.add(Keys.kind(kind));
      }
      plans.add(new QueryPlan(Index.KIND, ' ', prefixes, List.of()));
    });
    if (plans.isEmpty()) {
      plans.add(TIME);
    }
    return plans;
  }

  /**
   * True when an entry this plan yields satisfies every condition of {@code filter} except kinds,
   * time and expiry, which the index entry itself carries; so the event need not be read.
   */
  boolean coversAllButKindAndTime(Filter filter) {
    if (filter.ids().isPresent()) {
      return false;
    }
    if (filter.authors().isPresent() && index != Index.AUTHOR) {
      return false;
    }
    if (filter.tags().isEmpty()) {
      return true;
    }
    return index == Index.TAG && filter.tags().size() == 1;
  }

  /** True when entries from the cursor with this tag value are p-tagged to that value. */
  boolean isRecipientIndex() {
    return index == Index.TAG && letter == 'p';
  }
}
