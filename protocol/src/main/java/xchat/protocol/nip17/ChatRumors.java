package xchat.protocol.nip17;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import xchat.protocol.event.EventId;
import xchat.protocol.event.Rumor;
import xchat.protocol.event.Tag;
import xchat.protocol.event.Tags;
import xchat.protocol.event.UnsignedEvent;
import xchat.protocol.hex.Hex;
import xchat.protocol.keys.PublicKey;

/** Builders for the rumors NIP-17 puts in a private chat: kinds 14, 15, 7 and 5. */
public final class ChatRumors {
  public static final int CHAT = 14;
  public static final int FILE = 15;
  public static final int REACTION = 7;
  public static final int DELETION = 5;

  private ChatRumors() {}

  /** Optional parts of a chat or file message. */
  public record Options(Optional<EventId> replyTo, Optional<String> subject, OptionalLong expiresAt) {
    public static final Options NONE = new Options(Optional.empty(), Optional.empty(), OptionalLong.empty());

    public Options {
      replyTo = replyTo == null ? Optional.empty() : replyTo;
      subject = subject == null ? Optional.empty() : subject;
      expiresAt = expiresAt == null ? OptionalLong.empty() : expiresAt;
    }
  }

  public static Rumor chat(
      PublicKey author, Collection<PublicKey> recipients, String text, long createdAt, Options options) {
    List<Tag> tags = recipientTags(author, recipients);
    options.replyTo().ifPresent(id -> tags.add(Tag.of("e", id.hex())));
    options.subject().ifPresent(subject -> tags.add(Tag.of("subject", subject)));
    options.expiresAt().ifPresent(at -> tags.add(Tag.of("expiration", Long.toString(at))));
    return Rumor.of(new UnsignedEvent(author, createdAt, CHAT, new Tags(tags), text));
  }

  public static Rumor file(
      PublicKey author, Collection<PublicKey> recipients, FileMetadata file, long createdAt, Options options) {
    List<Tag> tags = recipientTags(author, recipients);
    options.replyTo().ifPresent(id -> tags.add(Tag.of("e", id.hex(), "", "reply")));
    options.subject().ifPresent(subject -> tags.add(Tag.of("subject", subject)));
    tags.add(Tag.of("file-type", file.mimeType()));
    tags.add(Tag.of("encryption-algorithm", file.encryptionAlgorithm()));
    tags.add(Tag.of("decryption-key", file.decryptionKeyHex()));
    tags.add(Tag.of("decryption-nonce", file.decryptionNonceHex()));
    tags.add(Tag.of("x", file.encryptedSha256()));
    tags.add(Tag.of("ox", file.originalSha256()));
    tags.add(Tag.of("size", Long.toString(file.encryptedSize())));
    file.dimensions().ifPresent(dim -> tags.add(Tag.of("dim", dim)));
    for (String fallback : file.fallbackUrls()) {
      tags.add(Tag.of("fallback", fallback));
    }
    options.expiresAt().ifPresent(at -> tags.add(Tag.of("expiration", Long.toString(at))));
    return Rumor.of(new UnsignedEvent(author, createdAt, FILE, new Tags(tags), file.url()));
  }

  /** Parses the file metadata of a kind-15 rumor. */
  public static Optional<FileMetadata> fileMetadata(Rumor rumor) {
    UnsignedEvent event = rumor.event();
    if (event.kind() != FILE) {
      return Optional.empty();
    }
    Tags tags = event.tags();
    try {
      return Optional.of(new FileMetadata(
          event.content(),
          tags.first("file-type").orElse(""),
          tags.first("encryption-algorithm").orElse(""),
          tags.first("decryption-key").orElse(null),
          tags.first("decryption-nonce").orElse(null),
          tags.first("x").orElse(""),
          tags.first("ox").orElse(""),
          Long.parseLong(tags.first("size").orElse("0")),
          tags.first("dim"),
          tags.values("fallback")));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** A NIP-25 reaction inside the chat; {@code content} is "+", "-" or an emoji. */
  public static Rumor reaction(
      PublicKey author, Collection<PublicKey> recipients, EventId target, PublicKey targetAuthor,
      String content, long createdAt) {
    List<Tag> tags = recipientTags(author, recipients);
    tags.add(Tag.of("e", target.hex()));
    tags.add(Tag.of("k", Integer.toString(CHAT)));
    if (!targetAuthor.equals(author) && !recipients.contains(targetAuthor)) {
      tags.add(Tag.of("p", targetAuthor.hex()));
    }
    return Rumor.of(new UnsignedEvent(author, createdAt, REACTION, new Tags(tags), content));
  }

  /**
   * A deletion for everyone: a kind-5 rumor naming the rumor ids, sent inside the chat (NIP-17
   * "Delete, edit and disappearing messages"). The p tags keep it in the same room.
   */
  public static Rumor deletion(
      PublicKey author, Collection<PublicKey> recipients, Collection<EventId> rumorIds, long createdAt) {
    if (rumorIds.isEmpty()) {
      throw new IllegalArgumentException("a deletion names at least one message");
    }
    List<Tag> tags = recipientTags(author, recipients);
    for (EventId id : rumorIds) {
      tags.add(Tag.of("e", id.hex()));
    }
    return Rumor.of(new UnsignedEvent(author, createdAt, DELETION, new Tags(tags), ""));
  }

  /** The rumor ids a kind-5 rumor deletes. */
  public static List<EventId> deletedIds(Rumor rumor) {
    List<EventId> ids = new ArrayList<>();
    if (rumor.event().kind() == DELETION) {
      for (String value : rumor.event().tags().values("e")) {
        if (Hex.isLowerHex(value, EventId.LENGTH)) {
          ids.add(EventId.fromHex(value));
        }
      }
    }
    return ids;
  }

  private static List<Tag> recipientTags(PublicKey author, Collection<PublicKey> recipients) {
    if (recipients.isEmpty()) {
      throw new IllegalArgumentException("a private message needs at least one recipient");
    }
    List<Tag> tags = new ArrayList<>();
    for (PublicKey recipient : new java.util.TreeSet<>(recipients)) {
      if (!recipient.equals(author)) {
        tags.add(Tag.of("p", recipient.hex()));
      }
    }
    if (tags.isEmpty()) {
      tags.add(Tag.of("p", author.hex())); // a note to self is a room of one
    }
    return tags;
  }
}
