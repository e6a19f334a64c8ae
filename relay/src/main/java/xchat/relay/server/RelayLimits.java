package xchat.relay.server;

import xchat.protocol.event.ParseLimits;
import xchat.protocol.filter.FilterLimits;
import xchat.protocol.message.MessageLimits;

/**
 * Every limit the relay enforces. The ones NIP-11 defines are published in the relay document
 * exactly as they are enforced here.
 *
 * @param maxMessageBytes largest client frame, in UTF-8 bytes (NIP-11 max_message_length)
 * @param maxSubscriptions open REQ subscriptions per connection (max_subscriptions)
 * @param maxFilters filters in one REQ
 * @param maxFilterValues values in one filter field (ids, authors, kinds, one #tag)
 * @param maxLimit a filter's limit is clamped to this (max_limit)
 * @param defaultLimit the limit of a filter without one (default_limit)
 * @param maxEventTags tags in one event (max_event_tags)
 * @param maxContentLength characters (UTF-16 code units) in any string of an event, content
 *     included (max_content_length)
 * @param eventRate token bucket for EVENT per connection
 * @param reqRate token bucket for REQ and NEG-OPEN per connection
 * @param createdAtLowerLimit seconds into the past an event's created_at may be
 *     (created_at_lower_limit); gift wraps are backdated up to two days
 * @param createdAtUpperLimit seconds into the future an event's created_at may be
 *     (created_at_upper_limit)
 * @param maxNegentropySessions open NEG-OPEN sessions per connection
 * @param maxNegentropyItems items one NEG-OPEN may reconcile; beyond, NEG-ERR "blocked:"
 * @param negentropyFrameBytes largest binary NIP-77 message the relay emits
 * @param outputBufferMessages frames queued for one client before it counts as too slow
 * @param outputBufferBytes bytes queued for one client before it counts as too slow
 * @param maxPendingWrites EVENTs of one connection in the store at once; reading pauses beyond
 */
public record RelayLimits(
    int maxMessageBytes,
    int maxSubscriptions,
    int maxFilters,
    int maxFilterValues,
    int maxLimit,
    int defaultLimit,
    int maxEventTags,
    int maxContentLength,
    RateLimit eventRate,
    RateLimit reqRate,
    long createdAtLowerLimit,
    long createdAtUpperLimit,
    int maxNegentropySessions,
    int maxNegentropyItems,
    int negentropyFrameBytes,
    int outputBufferMessages,
    long outputBufferBytes,
    int maxPendingWrites) {

  /** A token bucket: {@code burst} at once, refilled at {@code perSecond}. */
  public record RateLimit(double perSecond, int burst) {
    public static final RateLimit UNLIMITED = new RateLimit(Double.POSITIVE_INFINITY, 1);

    public RateLimit {
      if (!(perSecond > 0) || burst <= 0) {
        throw new IllegalArgumentException("a rate limit needs a positive rate and burst");
      }
    }
  }

  public static final RelayLimits DEFAULT =
      new RelayLimits(
          MessageLimits.DEFAULT.maxFrameBytes(),
          64,
          16,
          FilterLimits.DEFAULT.maxValuesPerField(),
          5000,
          500,
          2500,
          ParseLimits.DEFAULT.maxStringLength(),
          new RateLimit(200, 400),
          new RateLimit(20, 60),
          3L * 365 * 24 * 60 * 60,
          15 * 60,
          8,
          2_000_000,
          256 * 1024,
          4096,
          32L * 1024 * 1024,
          256);

  public RelayLimits {
    if (maxMessageBytes <= 0 || maxSubscriptions <= 0 || maxFilters <= 0 || maxFilterValues <= 0
        || maxLimit < 0 || defaultLimit < 0 || maxEventTags < 0 || maxContentLength <= 0
        || createdAtLowerLimit < 0 || createdAtUpperLimit < 0 || maxNegentropySessions <= 0
        || maxNegentropyItems < 0 || outputBufferMessages <= 0 || outputBufferBytes <= 0
        || maxPendingWrites <= 0) {
      throw new IllegalArgumentException("relay limits must be positive");
    }
    if (eventRate == null || reqRate == null) {
      throw new IllegalArgumentException("rate limits are required");
    }
    if (negentropyFrameBytes < 4096) {
      throw new IllegalArgumentException("negentropyFrameBytes must be at least 4096");
    }
  }

  /** The protocol parser's view of these limits. */
  public MessageLimits messageLimits() {
    return new MessageLimits(
        maxMessageBytes,
        maxFilters,
        new FilterLimits(maxFilterValues),
        new ParseLimits(maxMessageBytes, maxEventTags, 100, maxContentLength));
  }

  public RelayLimits withMaxMessageBytes(int value) {
    return new RelayLimits(value, maxSubscriptions, maxFilters, maxFilterValues, maxLimit,
        defaultLimit, maxEventTags, maxContentLength, eventRate, reqRate, createdAtLowerLimit,
        createdAtUpperLimit, maxNegentropySessions, maxNegentropyItems, negentropyFrameBytes,
        outputBufferMessages, outputBufferBytes, maxPendingWrites);
  }

  public RelayLimits withMaxSubscriptions(int value) {
    return new RelayLimits(maxMessageBytes, value, maxFilters, maxFilterValues, maxLimit,
        defaultLimit, maxEventTags, maxContentLength, eventRate, reqRate, createdAtLowerLimit,
        createdAtUpperLimit, maxNegentropySessions, maxNegentropyItems, negentropyFrameBytes,
        outputBufferMessages, outputBufferBytes, maxPendingWrites);
  }

  public RelayLimits withMaxFilters(int value) {
    return new RelayLimits(maxMessageBytes, maxSubscriptions, value, maxFilterValues, maxLimit,
        defaultLimit, maxEventTags, maxContentLength, eventRate, reqRate, createdAtLowerLimit,
        createdAtUpperLimit, maxNegentropySessions, maxNegentropyItems, negentropyFrameBytes,
        outputBufferMessages, outputBufferBytes, maxPendingWrites);
  }

  public RelayLimits withMaxLimit(int value) {
    return new RelayLimits(maxMessageBytes, maxSubscriptions, maxFilters, maxFilterValues, value,
        Math.min(defaultLimit, value), maxEventTags, maxContentLength, eventRate, reqRate,
        createdAtLowerLimit, createdAtUpperLimit, maxNegentropySessions, maxNegentropyItems,
        negentropyFrameBytes, outputBufferMessages, outputBufferBytes, maxPendingWrites);
  }

  public RelayLimits withRates(RateLimit events, RateLimit reqs) {
    return new RelayLimits(maxMessageBytes, maxSubscriptions, maxFilters, maxFilterValues,
        maxLimit, defaultLimit, maxEventTags, maxContentLength, events, reqs, createdAtLowerLimit,
        createdAtUpperLimit, maxNegentropySessions, maxNegentropyItems, negentropyFrameBytes,
        outputBufferMessages, outputBufferBytes, maxPendingWrites);
  }

  public RelayLimits withMaxNegentropyItems(int value) {
    return new RelayLimits(maxMessageBytes, maxSubscriptions, maxFilters, maxFilterValues,
        maxLimit, defaultLimit, maxEventTags, maxContentLength, eventRate, reqRate,
        createdAtLowerLimit, createdAtUpperLimit, maxNegentropySessions, value,
        negentropyFrameBytes, outputBufferMessages, outputBufferBytes, maxPendingWrites);
  }

  public RelayLimits withOutputBuffer(int messages, long bytes) {
    return new RelayLimits(maxMessageBytes, maxSubscriptions, maxFilters, maxFilterValues,
        maxLimit, defaultLimit, maxEventTags, maxContentLength, eventRate, reqRate,
        createdAtLowerLimit, createdAtUpperLimit, maxNegentropySessions, maxNegentropyItems,
        negentropyFrameBytes, messages, bytes, maxPendingWrites);
  }

  public RelayLimits withCreatedAtLimits(long lower, long upper) {
    return new RelayLimits(maxMessageBytes, maxSubscriptions, maxFilters, maxFilterValues,
        maxLimit, defaultLimit, maxEventTags, maxContentLength, eventRate, reqRate, lower, upper,
        maxNegentropySessions, maxNegentropyItems, negentropyFrameBytes, outputBufferMessages,
        outputBufferBytes, maxPendingWrites);
  }
}
