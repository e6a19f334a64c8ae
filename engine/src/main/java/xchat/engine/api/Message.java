package xchat.engine.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One message as the app shows it. Ids and keys are lower-case hex.
 *
 * @param id the rumor id: the same on every device and for every recipient
 * @param conversation the NIP-17 room: a hash of the member keys
 * @param author who wrote it (proven by the seal's signature)
 * @param recipients the other members of the room (the p tags)
 * @param createdAt the rumor's created_at: the one order within a conversation, with the id
 * @param kind 14 for chat, 15 for a file, 7 for a reaction
 * @param expiresAt NIP-40: when it disappears, if it does
 * @param file for a kind-15 message, what it says about its file (never the key); fetch the file
 *     with {@link XChat#getFile}
 */
public record Message(
    String id,
    String circle,
    String conversation,
    String author,
    List<String> recipients,
    long createdAt,
    int kind,
    String content,
    OptionalLong expiresAt,
    Optional<FileInfo> file) {

  /** A message that carries no file. */
  public Message(String id, String circle, String conversation, String author, List<String> recipients,
      long createdAt, int kind, String content, OptionalLong expiresAt) {
    this(id, circle, conversation, author, recipients, createdAt, kind, content, expiresAt, Optional.empty());
  }

  public Message {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(circle, "circle");
    Objects.requireNonNull(conversation, "conversation");
    Objects.requireNonNull(author, "author");
    recipients = List.copyOf(recipients);
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(file, "file");
  }

  @Override
  public String toString() {
    // Content is the user's plaintext: keep it out of logs.
    return "Message[" + id + ", kind " + kind + ", at " + createdAt + "]";
  }
}
