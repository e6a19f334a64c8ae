package xchat.engine.api;

import java.util.Arrays;
import java.util.Optional;

/**
 * Known bugs the engine can be told to have, so that the simulator's checker can show it catches
 * each one (mutation testing). Every one is off unless {@link XChatConfig.Builder#injectBugs}
 * names it; production never does.
 */
public enum InjectedBug {
  /** A deletion whose target has not arrived yet leaves no tombstone: the late target appears. */
  SKIP_TOMBSTONE_CHECK("skip-tombstone-check"),
  /** Conversations are ordered by the randomised wrap created_at instead of the rumor's. */
  ORDER_BY_WRAP_CREATED_AT("order-by-wrap-created-at"),
  /** The sender's own copy is never published, so its other devices never see what it sent. */
  DROP_SELF_COPY("drop-self-copy"),
  /** Circles share one socket per relay host, so one circle's traffic reaches the other's. */
  SHARE_SOCKET_ACROSS_CIRCLES("share-socket-across-circles"),
  /** A send reports QUEUED before its outbox entry is durable: a crash then loses it. */
  ACK_BEFORE_DURABLE_WRITE("ack-before-durable-write"),
  /**
   * Events a relay pushes on a live subscription are dropped; only catch-up brings them, so a
   * message waits for the next reconnection or an explicit sync.
   */
  IGNORE_LIVE_EVENTS("ignore-live-events");

  private final String flag;

  InjectedBug(String flag) {
    this.flag = flag;
  }

  /** The name used on the command line. */
  public String flag() {
    return flag;
  }

  public static Optional<InjectedBug> ofFlag(String flag) {
    return Arrays.stream(values()).filter(b -> b.flag.equals(flag) || b.name().equals(flag)).findFirst();
  }
}
