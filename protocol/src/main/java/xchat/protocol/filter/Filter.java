package xchat.protocol.filter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import xchat.protocol.event.EventId;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.Tag;
import xchat.protocol.hex.Hex;
import xchat.protocol.keys.PublicKey;

/**
 * A NIP-01 subscription filter. An absent condition matches everything; a present list must be
 * non-empty (NIP-01: "JSON arrays with one or more values"), so an empty id list can never turn
 * into a filter that matches every event.
 *
 * <p>Sets are stored in sorted order, so equal filters serialise to identical JSON.
 */
public record Filter(
    Optional<Set<EventId>> ids,
    Optional<Set<PublicKey>> authors,
    Optional<Set<Integer>> kinds,
    Map<Character, Set<String>> tags,
    OptionalLong since,
    OptionalLong until,
    OptionalInt limit) {

  /** The empty filter {@code {}}: matches every event. */
  public static final Filter ALL =
      new Filter(
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Map.of(),
          OptionalLong.empty(),
          OptionalLong.empty(),
          OptionalInt.empty());

  public Filter {
    if (ids == null || authors == null || kinds == null || tags == null) {
      throw new IllegalArgumentException("filter conditions must not be null; use empty Optionals");
    }
    if (since == null || until == null || limit == null) {
      throw new IllegalArgumentException("since, until and limit must not be null");
    }
    ids = ids.map(set -> sortedCopy(set, "ids"));
    authors = authors.map(set -> sortedCopy(set, "authors"));
    kinds = kinds.map(set -> sortedCopy(set, "kinds"));
    kinds.ifPresent(Filter::requireKinds);
    tags = copyTags(tags);
    requireNonNegative(since, "since");
    requireNonNegative(until, "until");
    if (limit.isPresent() && limit.getAsInt() < 0) {
      throw new IllegalArgumentException("limit must not be negative");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** NIP-01: every present condition must hold. {@code limit} never affects matching. */
  public boolean matches(NostrEvent event) {
    if (ids.isPresent() && !ids.get().contains(event.id())) {
      return false;
    }
    if (authors.isPresent() && !authors.get().contains(event.pubkey())) {
      return false;
    }
    if (kinds.isPresent() && !kinds.get().contains(event.kind())) {
      return false;
    }
    if (since.isPresent() && event.createdAt() < since.getAsLong()) {
      return false;
    }
    if (until.isPresent() && event.createdAt() > until.getAsLong()) {
      return false;
    }
    for (Map.Entry<Character, Set<String>> condition : tags.entrySet()) {
      if (!hasTagValueIn(event, condition.getKey(), condition.getValue())) {
        return false;
      }
    }
    return true;
  }

  /** NIP-01: the filters of one REQ are OR-ed. */
  public static boolean anyMatch(List<Filter> filters, NostrEvent event) {
    for (Filter filter : filters) {
      if (filter.matches(event)) {
        return true;
      }
    }
    return false;
  }

  /** True for the single letters a-z and A-Z that NIP-01 allows as {@code #x} filter keys. */
  public static boolean isTagLetter(char letter) {
    return (letter >= 'a' && letter <= 'z') || (letter >= 'A' && letter <= 'Z');
  }

  // NIP-01: only the first value of a tag is indexed, so only element 1 is compared.
  private static boolean hasTagValueIn(NostrEvent event, char letter, Set<String> wanted) {
    for (Tag tag : event.tags().list()) {
      String name = tag.name();
      if (tag.size() > 1 && name.length() == 1 && name.charAt(0) == letter
          && wanted.contains(tag.values().get(1))) {
        return true;
      }
    }
    return false;
  }

  private static <T extends Comparable<? super T>> Set<T> sortedCopy(Set<T> set, String field) {
    if (set == null || set.isEmpty()) {
      throw new IllegalArgumentException(field + " must hold at least one value when present");
    }
    List<T> sorted = new ArrayList<>(set.size());
    for (T value : set) {
      if (value == null) {
        throw new IllegalArgumentException(field + " must not contain null");
      }
      sorted.add(value);
    }
    Collections.sort(sorted);
    return Collections.unmodifiableSet(new LinkedHashSet<>(sorted));
  }

  private static void requireKinds(Set<Integer> kinds) {
    for (int kind : kinds) {
      if (kind < 0 || kind > 65535) {
        throw new IllegalArgumentException("kind must be in 0..65535, got " + kind);
      }
    }
  }

  private static Map<Character, Set<String>> copyTags(Map<Character, Set<String>> tags) {
    TreeMap<Character, Set<String>> copy = new TreeMap<>();
    for (Map.Entry<Character, Set<String>> entry : tags.entrySet()) {
      Character letter = entry.getKey();
      if (letter == null || !isTagLetter(letter)) {
        throw new IllegalArgumentException("tag filter keys must be a single letter a-z or A-Z");
      }
      Set<String> values = sortedCopy(entry.getValue(), "#" + letter);
      for (String value : values) {
        requireTagValue(letter, value);
      }
      copy.put(letter, values);
    }
    return Collections.unmodifiableMap(copy);
  }

  // NIP-01: "#e" and "#p" lists MUST contain exact 64-character lower-case hex values.
  private static void requireTagValue(char letter, String value) {
    if ((letter == 'e' || letter == 'p') && !Hex.isLowerHex(value, 32)) {
      throw new IllegalArgumentException("#" + letter + " values must be 64 lower-case hex");
    }
    if (hasUnpairedSurrogate(value)) {
      throw new IllegalArgumentException("#" + letter + " value has an unpaired surrogate");
    }
  }

  /** Such a string has no UTF-8 form, so it could never equal a tag value of a valid event. */
  static boolean hasUnpairedSurrogate(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  private static void requireNonNegative(OptionalLong value, String field) {
    if (value.isPresent() && value.getAsLong() < 0) {
      throw new IllegalArgumentException(field + " must not be negative");
    }
  }

  /** Collects conditions; each setter replaces what it set before. */
  public static final class Builder {
    private Optional<Set<EventId>> ids = Optional.empty();
    private Optional<Set<PublicKey>> authors = Optional.empty();
    private Optional<Set<Integer>> kinds = Optional.empty();
    private final Map<Character, Set<String>> tags = new TreeMap<>();
    private OptionalLong since = OptionalLong.empty();
    private OptionalLong until = OptionalLong.empty();
    private OptionalInt limit = OptionalInt.empty();

    private Builder() {}

    public Builder ids(EventId... values) {
      return ids(Arrays.asList(values));
    }

    /** Throws on an empty collection: an empty id list has no filter that means "nothing". */
    public Builder ids(Collection<EventId> values) {
      ids = Optional.of(new LinkedHashSet<>(values));
      return this;
    }

    public Builder authors(PublicKey... values) {
      return authors(Arrays.asList(values));
    }

    public Builder authors(Collection<PublicKey> values) {
      authors = Optional.of(new LinkedHashSet<>(values));
      return this;
    }

    public Builder kinds(int... values) {
      List<Integer> boxed = new ArrayList<>(values.length);
      for (int kind : values) {
        boxed.add(kind);
      }
      return kinds(boxed);
    }

    public Builder kinds(Collection<Integer> values) {
      kinds = Optional.of(new LinkedHashSet<>(values));
      return this;
    }

    public Builder tag(char letter, String... values) {
      return tag(letter, Arrays.asList(values));
    }

    public Builder tag(char letter, Collection<String> values) {
      tags.put(letter, new LinkedHashSet<>(values));
      return this;
    }

    public Builder since(long seconds) {
      since = OptionalLong.of(seconds);
      return this;
    }

    public Builder until(long seconds) {
      until = OptionalLong.of(seconds);
      return this;
    }

    public Builder limit(int count) {
      limit = OptionalInt.of(count);
      return this;
    }

    /** Validates every condition; throws {@link IllegalArgumentException} on the first bad one. */
    public Filter build() {
      return new Filter(ids, authors, kinds, tags, since, until, limit);
    }
  }
}
