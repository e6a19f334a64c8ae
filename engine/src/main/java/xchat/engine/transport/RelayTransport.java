package xchat.engine.transport;

import java.util.concurrent.CompletionStage;

/**
 * The network as the relay actor sees it. Production uses {@link WebSocketTransport}; the
 * simulator implements it in virtual time. Implementations hold no timers of their own that the
 * actor depends on: every timeout lives in the actor, on Pekko timers.
 */
public interface RelayTransport {

  /**
   * Opens one connection. The stage completes once the connection is usable (the WebSocket
   * upgrade succeeded) and fails if it cannot be opened; the caller enforces its own timeout.
   */
  CompletionStage<RelayConnection> connect(RelayUrl url);

  /**
   * Fetches the relay's NIP-11 document. Fails when there is none or it cannot be read; the
   * caller then assumes {@link RelayInfo#UNKNOWN}.
   */
  CompletionStage<RelayInfo> fetchInfo(RelayUrl url);
}
