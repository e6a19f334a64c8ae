package xchat.engine.media;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import xchat.engine.media.DownloadResult.FailedAttempt;
import xchat.protocol.media.DecryptResult;

/** Whether a kind-15 file is now in the encrypted cache. */
public sealed interface ReceiveResult {

  /**
   * In the cache under {@code entryId} (the blob hash {@code x}). When it was cached already,
   * nothing was fetched: {@code from} is empty and {@code size} is -1.
   */
  record Received(String entryId, long size, Optional<URI> from, List<FailedAttempt> failedFirst)
      implements ReceiveResult {
    public Received {
      failedFirst = List.copyOf(failedFirst);
    }
  }

  /** No server served the blob; every attempt is listed. */
  record Unavailable(List<FailedAttempt> attempts) implements ReceiveResult {
    public Unavailable {
      attempts = List.copyOf(attempts);
    }
  }

  /**
   * The blob named by the message was fetched (its hash matched) but does not decrypt to the file
   * the message describes, or the message's key is unusable: no other server can do better.
   */
  record Rejected(DecryptResult.Reason reason, String detail, Optional<URI> from)
      implements ReceiveResult {}
}
