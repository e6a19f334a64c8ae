package xchat.engine.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/** How {@link XChat#getFile} went. It never holds key bytes or plaintext. */
public sealed interface FileResult {

  /**
   * The file was verified ({@code x} before decrypting, {@code ox} after), is in the circle's
   * encrypted cache, and was written to {@code target}.
   *
   * @param from the URL that served the blob; empty when it came from the cache
   * @param failedFirst the sources tried before it, and why each failed
   */
  record Saved(String messageId, Path target, long size, java.util.Optional<String> from,
      List<FailedSource> failedFirst) implements FileResult {
    public Saved {
      Objects.requireNonNull(messageId, "messageId");
      Objects.requireNonNull(target, "target");
      Objects.requireNonNull(from, "from");
      failedFirst = List.copyOf(failedFirst);
    }
  }

  /** Nothing was written to the target. */
  record Failed(Reason reason, String detail, List<FailedSource> attempts) implements FileResult {
    public Failed {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
      attempts = List.copyOf(attempts);
    }
  }

  /** Why a file could not be had. */
  enum Reason {
    /** No source served any bytes for the blob (down, 404, refused). */
    UNAVAILABLE,
    /**
     * Sources answered, but none with the blob the message names: its hash or size did not match
     * (corrupted or substituted), so nothing of it was decrypted.
     */
    TAMPERED,
    /**
     * The blob matched its hash but does not decrypt to the file the message describes (wrong
     * key, or {@code ox} does not match): the sender's message is at fault, no server can help.
     */
    UNDECRYPTABLE,
    /** The message's decryption key or nonce is not usable. */
    BAD_KEY,
    /** The message is not a kind-15 file message, or its metadata is incomplete. */
    NOT_A_FILE,
    /** Writing the cache or the target failed. */
    LOCAL_IO
  }

  /** One source that did not serve the blob: its URL, the failure kind, and the server's reason. */
  record FailedSource(String url, String kind, String detail) {
    public FailedSource {
      Objects.requireNonNull(url, "url");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(detail, "detail");
    }
  }
}
