package xchat.protocol.nip40;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.Tag;
import xchat.protocol.event.Tags;
import xchat.protocol.event.UnsignedEvent;

/**
 * NIP-40 expiration tags: {@code ["expiration", "<unix seconds>"]}.
 *
 * <p>NIP-40 requires the value to be a timestamp "in the same format as created_at": we accept
 * only plain decimal digits that fit a non-negative long. A tag whose value is anything else
 * names no time, so it sets no expiration; {@link #hasMalformedTag} lets a relay refuse such
 * events instead. When several valid tags are present the earliest wins, so an event is never
 * kept longer than any of its tags asks.
 */
public final class Expiration {
  public static final String TAG = "expiration";

  private static final String LONG_MAX = Long.toString(Long.MAX_VALUE);
  private static final int MAX_DIGITS = LONG_MAX.length();

  private Expiration() {}

  public static OptionalLong of(NostrEvent event) {
    return of(event.tags());
  }

  public static OptionalLong of(Tags tags) {
    OptionalLong earliest = OptionalLong.empty();
    for (Tag tag : tags.list()) {
      if (tag.name().equals(TAG) && tag.size() > 1) {
        OptionalLong at = parseSeconds(tag.values().get(1));
        if (at.isPresent() && (earliest.isEmpty() || at.getAsLong() < earliest.getAsLong())) {
          earliest = at;
        }
      }
    }
    return earliest;
  }

  /** Expired from the tagged second on: NIP-40 names the time "at which" it expires. */
  public static boolean isExpired(NostrEvent event, long nowSeconds) {
    return isExpired(event.tags(), nowSeconds);
  }

  public static boolean isExpired(Tags tags, long nowSeconds) {
    OptionalLong at = of(tags);
    return at.isPresent() && nowSeconds >= at.getAsLong();
  }

  /** True when some expiration tag lacks a value or its value is not a plain timestamp. */
  public static boolean hasMalformedTag(Tags tags) {
    for (Tag tag : tags.list()) {
      if (tag.name().equals(TAG)
          && (tag.size() < 2 || parseSeconds(tag.values().get(1)).isEmpty())) {
        return true;
      }
    }
    return false;
  }

  public static Tag tag(long atSeconds) {
    if (atSeconds < 0) {
      throw new IllegalArgumentException("expiration must not be negative");
    }
    return Tag.of(TAG, Long.toString(atSeconds));
  }

  /** The same event with its expiration tags replaced by one for {@code atSeconds}. */
  public static UnsignedEvent withExpiration(UnsignedEvent event, long atSeconds) {
    List<Tag> tags = new ArrayList<>(event.tags().size() + 1);
    for (Tag tag : event.tags().list()) {
      if (!tag.name().equals(TAG)) {
        tags.add(tag);
      }
    }
    tags.add(tag(atSeconds));
    return new UnsignedEvent(
        event.pubkey(), event.createdAt(), event.kind(), new Tags(tags), event.content());
  }

  private static OptionalLong parseSeconds(String value) {
    if (value.isEmpty() || value.length() > MAX_DIGITS) {
      return OptionalLong.empty();
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return OptionalLong.empty();
      }
    }
    if (value.length() == MAX_DIGITS && value.compareTo(LONG_MAX) > 0) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(Long.parseLong(value));
  }
}
