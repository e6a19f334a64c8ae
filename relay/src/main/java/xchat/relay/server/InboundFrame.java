package xchat.relay.server;

/** One client WebSocket message after collection, before parsing. */
sealed interface InboundFrame {

  /** A text message within the size limit. */
  record Text(String text) implements InboundFrame {}

  /** A text message over the limit: only its size was kept, the rest was read and dropped. */
  record TooLarge(long chars) implements InboundFrame {}

  /** Nostr is text only. */
  record Binary() implements InboundFrame {}
}
