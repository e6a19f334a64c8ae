package xchat.engine.api;

/** How a send ended. */
public sealed interface SendOutcome {
  String messageId();

  MessageStatus status();

  /** Every copy was accepted by at least the required number of relays. */
  record Sent(String messageId, MessageStatus status) implements SendOutcome {}

  /** A copy could not be delivered; {@code reason} says why (a relay's OK message, or ours). */
  record Failed(String messageId, String reason, MessageStatus status) implements SendOutcome {}
}
