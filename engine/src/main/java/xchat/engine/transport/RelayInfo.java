package xchat.engine.transport;

import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What a relay claims about itself in its NIP-11 document. These are claims: the relay actor
 * respects them, and when one turns out false (a claimed NIP-77 that fails) it remembers that.
 *
 * @param supportedNips {@code supported_nips}
 * @param maxMessageLength {@code limitation.max_message_length}, in bytes
 * @param maxSubscriptions {@code limitation.max_subscriptions}, per connection
 * @param maxLimit {@code limitation.max_limit}: the most events one filter returns
 * @param authRequired {@code limitation.auth_required}
 * @param createdAtLowerLimit {@code limitation.created_at_lower_limit}, see {@link #oldestAcceptedAt}
 */
public record RelayInfo(
    Set<Integer> supportedNips,
    OptionalInt maxMessageLength,
    OptionalInt maxSubscriptions,
    OptionalInt maxLimit,
    boolean authRequired,
    OptionalLong createdAtLowerLimit) {

  /** What we assume of a relay that serves no NIP-11 document: nothing beyond NIP-01. */
  public static final RelayInfo UNKNOWN =
      new RelayInfo(Set.of(), OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), false,
          OptionalLong.empty());

  // Below this a lower limit is read as an age in seconds (NIP-11's examples: 31536000, one
  // year); at or above it, as an absolute unix time, which some relays publish instead.
  static final long ABSOLUTE_TIME_THRESHOLD = 1_000_000_000L;

  public RelayInfo {
    supportedNips = Set.copyOf(Objects.requireNonNull(supportedNips, "supportedNips"));
    Objects.requireNonNull(maxMessageLength, "maxMessageLength");
    Objects.requireNonNull(maxSubscriptions, "maxSubscriptions");
    Objects.requireNonNull(maxLimit, "maxLimit");
    Objects.requireNonNull(createdAtLowerLimit, "createdAtLowerLimit");
    requirePositive(maxMessageLength, "max_message_length");
    requirePositive(maxSubscriptions, "max_subscriptions");
    requirePositive(maxLimit, "max_limit");
    if (createdAtLowerLimit.isPresent() && createdAtLowerLimit.getAsLong() < 0) {
      throw new IllegalArgumentException("created_at_lower_limit must not be negative");
    }
  }

  public boolean supports(int nip) {
    return supportedNips.contains(nip);
  }

  /** The oldest {@code created_at} the relay says it accepts at {@code nowSeconds}, if it says. */
  public OptionalLong oldestAcceptedAt(long nowSeconds) {
    if (createdAtLowerLimit.isEmpty()) {
      return OptionalLong.empty();
    }
    long limit = createdAtLowerLimit.getAsLong();
    return OptionalLong.of(limit >= ABSOLUTE_TIME_THRESHOLD ? limit : Math.max(0, nowSeconds - limit));
  }

  private static void requirePositive(OptionalInt value, String field) {
    if (value.isPresent() && value.getAsInt() <= 0) {
      throw new IllegalArgumentException(field + " must be positive");
    }
  }
}
