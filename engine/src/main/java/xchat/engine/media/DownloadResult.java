package xchat.engine.media;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/** Whether a blob could be fetched from any candidate URL, and what went wrong on the way. */
public sealed interface DownloadResult {

  /** One URL that did not serve the blob. */
  record FailedAttempt(URI url, TransferFailure failure) {}

  /** {@code file} holds the blob; its SHA-256 was checked against the expected hash. */
  record Downloaded(URI from, Path file, long size, List<FailedAttempt> failedFirst)
      implements DownloadResult {
    public Downloaded {
      failedFirst = List.copyOf(failedFirst);
    }
  }

  /** No candidate served the blob; nothing was kept. */
  record Unavailable(List<FailedAttempt> attempts) implements DownloadResult {
    public Unavailable {
      attempts = List.copyOf(attempts);
    }
  }
}
