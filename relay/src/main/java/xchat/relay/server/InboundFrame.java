package xchat.relay.server;

/** One client WebSocket message after collection, before parsing. */
sealed interface InboundFrame {

  /** Characters held in memory, for bounding batches; at least 1. */
  default long weight() {
    return this instanceof Text text ? Math.max(1, text.text().length()) : 1;
  }

  /** A text message within the size limit. */
  record Text(String text) implements InboundFrame {}

  /** A text message over the limit: only its size was kept, the rest was read and dropped. */
  record TooLarge(long chars) implements InboundFrame {}

  /** Nostr is text only. */
  record Binary() implements InboundFrame {}
}
