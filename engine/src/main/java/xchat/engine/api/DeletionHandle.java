package xchat.engine.api;

import java.util.concurrent.CompletionStage;

/**
 * A delete for everyone. Locally the message is already erased when this is returned. The
 * kind-5 rumor travels gift-wrapped to every member and to self ({@link #rumor()}); each relay
 * of the circle is asked (NIP-09) to delete the wraps addressed to us ({@link #report()}).
 */
public interface DeletionHandle {
  String messageId();

  /** The gift-wrapped kind-5 rumor, sent like any message. */
  MessageHandle rumor();

  /** Completes once the rumor send ended and every relay answered the NIP-09 request (or timed out). */
  CompletionStage<DeletionReport> report();

  /**
   * For a file message: what each file server confirmed about deleting its blob, in server order.
   * Empty for other messages.
   */
  default CompletionStage<java.util.List<FileServerDeletion>> fileServers() {
    return java.util.concurrent.CompletableFuture.completedFuture(java.util.List.of());
  }
}
