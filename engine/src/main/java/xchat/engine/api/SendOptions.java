package xchat.engine.api;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Optional parts of a message.
 *
 * @param replyTo the id of the message this answers
 * @param subject the conversation's subject (NIP-17)
 * @param expiresAt NIP-40: unix seconds after which every device erases it; the tag goes on the
 *     rumor, the seal and the wrap, so relays drop it too
 */
public record SendOptions(Optional<String> replyTo, Optional<String> subject, OptionalLong expiresAt) {
  public static final SendOptions NONE = new SendOptions(Optional.empty(), Optional.empty(), OptionalLong.empty());

  public SendOptions {
    Objects.requireNonNull(replyTo, "replyTo");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  public static SendOptions expiringAt(long unixSeconds) {
    return new SendOptions(Optional.empty(), Optional.empty(), OptionalLong.of(unixSeconds));
  }
}
