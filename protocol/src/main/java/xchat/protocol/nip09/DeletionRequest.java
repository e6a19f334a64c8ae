package xchat.protocol.nip09;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import xchat.protocol.event.EventId;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.Rumor;
import xchat.protocol.event.Tags;
import xchat.protocol.keys.PublicKey;

/**
 * A parsed NIP-09 kind-5 deletion request. {@code kinds} holds the {@code k} tags: NIP-09 makes
 * them advisory, so they never widen or narrow what the request deletes.
 */
public record DeletionRequest(
    EventId requestId,
    PublicKey author,
    long createdAt,
    Set<EventId> eventIds,
    Set<EventAddress> addresses,
    Set<Integer> kinds,
    String reason) {

  public static final int KIND = 5;
  public static final int GIFT_WRAP_KIND = 1059;

  public DeletionRequest {
    if (requestId == null || author == null || reason == null) {
      throw new IllegalArgumentException("request id, author and reason must not be null");
    }
    eventIds = copy(eventIds);
    addresses = copy(addresses);
    kinds = copy(kinds);
    if (eventIds.isEmpty() && addresses.isEmpty()) {
      throw new IllegalArgumentException("a deletion request names at least one event or address");
    }
  }

  /**
   * NIP-09: only the author may delete. True when {@code target} has this request's author and
   * is named by an {@code e} tag, or is a version of an {@code a} address no newer than this
   * request. A deletion request is never itself deleted.
   */
  public boolean deletes(NostrEvent target) {
    if (target.kind() == KIND || !target.pubkey().equals(author)) {
      return false;
    }
    if (eventIds.contains(target.id())) {
      return true;
    }
    if (target.createdAt() > createdAt) {
      return false;
    }
    for (EventAddress address : addresses) {
      if (address.names(target)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The {@code e}-tag rule for an unsigned NIP-17 rumor (rumors are never replaceable), whose
   * author is its claimed pubkey: the caller has already checked the seal that carried it.
   */
  public boolean deletes(Rumor target) {
    return target.event().kind() != KIND
        && target.event().pubkey().equals(author)
        && eventIds.contains(target.id());
  }

  /**
   * NIP-59: gift wraps are signed by one-time keys, so their recipient deletes them instead. True
   * when {@code target} is a kind-1059 wrap named by an {@code e} tag and p-tagged to the author.
   */
  public boolean deletesGiftWrap(NostrEvent target) {
    return target.kind() == GIFT_WRAP_KIND
        && eventIds.contains(target.id())
        && pTagged(target.tags(), author);
  }

  /** {@link #deletes(NostrEvent)} or {@link #deletesGiftWrap}. */
  public boolean appliesTo(NostrEvent target) {
    return deletes(target) || deletesGiftWrap(target);
  }

  private static boolean pTagged(Tags tags, PublicKey key) {
    return tags.values("p").contains(key.hex());
  }

  private static <T> Set<T> copy(Set<T> values) {
    if (values == null) {
      throw new IllegalArgumentException("deletion sets must not be null");
    }
    Set<T> copy = new LinkedHashSet<>(values);
    if (copy.contains(null)) {
      throw new IllegalArgumentException("deletion sets must not hold null");
    }
    return Collections.unmodifiableSet(copy);
  }
}
