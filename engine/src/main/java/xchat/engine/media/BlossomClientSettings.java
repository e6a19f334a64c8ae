package xchat.engine.media;

import java.time.Duration;

/**
 * Timeouts, retries and limits of a {@link BlossomClient}.
 *
 * @param connectTimeout to open a connection
 * @param requestTimeout until a small request's response headers arrive (HEAD, DELETE)
 * @param transferTimeout until an upload's response, or a download's headers, arrive; an upload's
 *     response comes only after its whole body, so this bounds the upload
 * @param maxAttempts per server and operation, the first included
 * @param initialBackoff before the second attempt; doubles each time, with jitter, up to {@code
 *     maxBackoff}
 * @param authValidity how long a signed authorization event stays valid (its NIP-40 expiration)
 * @param maxDownloadBytes the largest blob accepted when the message gives no size
 */
public record BlossomClientSettings(
    Duration connectTimeout,
    Duration requestTimeout,
    Duration transferTimeout,
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    Duration authValidity,
    long maxDownloadBytes) {

  public BlossomClientSettings {
    for (Duration duration :
        new Duration[] {
          connectTimeout, requestTimeout, transferTimeout, initialBackoff, maxBackoff, authValidity
        }) {
      if (duration == null || duration.isNegative()) {
        throw new IllegalArgumentException("durations must be present and not negative");
      }
    }
    if (maxAttempts < 1 || maxDownloadBytes <= 0 || authValidity.toSeconds() < 1) {
      throw new IllegalArgumentException(
          "at least one attempt, a positive size limit and validity");
    }
  }

  public static BlossomClientSettings defaults() {
    return new BlossomClientSettings(
        Duration.ofSeconds(10),
        Duration.ofSeconds(30),
        Duration.ofMinutes(30),
        3,
        Duration.ofMillis(250),
        Duration.ofSeconds(10),
        Duration.ofMinutes(5),
        4L * 1024 * 1024 * 1024);
  }

  public BlossomClientSettings withMaxAttempts(int value) {
    return new BlossomClientSettings(
        connectTimeout,
        requestTimeout,
        transferTimeout,
        value,
        initialBackoff,
        maxBackoff,
        authValidity,
        maxDownloadBytes);
  }

  public BlossomClientSettings withBackoff(Duration initial, Duration max) {
    return new BlossomClientSettings(
        connectTimeout,
        requestTimeout,
        transferTimeout,
        maxAttempts,
        initial,
        max,
        authValidity,
        maxDownloadBytes);
  }

  public BlossomClientSettings withConnectTimeout(Duration value) {
    return new BlossomClientSettings(
        value,
        requestTimeout,
        transferTimeout,
        maxAttempts,
        initialBackoff,
        maxBackoff,
        authValidity,
        maxDownloadBytes);
  }
}
