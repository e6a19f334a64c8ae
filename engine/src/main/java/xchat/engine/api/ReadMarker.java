package xchat.engine.api;

/** How far a conversation has been read, on any device of the account: the newest read message. */
public record ReadMarker(String circle, String conversation, long createdAt, String messageId) {}
