package xchat.engine.relay;

/** Where a relay actor's connection stands. */
public enum ConnectionState {
  /** Opening the socket and reading NIP-11. */
  CONNECTING,
  /** Connected to a relay that requires NIP-42; nothing is sent until AUTH is settled. */
  AUTHENTICATING,
  /** Subscriptions, publishing and sync run. */
  OPEN,
  /** Waiting out a jittered delay before the next attempt. */
  BACKING_OFF
}
