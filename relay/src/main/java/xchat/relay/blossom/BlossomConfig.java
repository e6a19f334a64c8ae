package xchat.relay.blossom;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import xchat.protocol.blossom.BlossomServers;

/**
 * How to run one Blossom server (BUD-01, BUD-02). Start from {@link #defaults(Path)}; every {@code
 * with...} returns a new value.
 *
 * @param dataDir where blobs and their owner records live
 * @param publicUrl the root URL clients use, for descriptor URLs and {@code server} tags; empty to
 *     derive it from each request's Host
 * @param maxBlobBytes uploads larger than this are refused with 413
 * @param getAuthRequired BUD-01 makes GET authorization optional; off by default, because blobs are
 *     ciphertext and their hash is the capability
 * @param listAuthRequired BUD-02 list authorization, optional
 * @param syncWrites fsync a blob before answering its upload
 * @param uploadTimeout how long one upload may take before the server gives up
 * @param maxFutureSkew how far ahead of this clock an authorization's created_at may be
 * @param maxListItems a list answers at most this many descriptors
 */
public record BlossomConfig(
    Path dataDir,
    Optional<URI> publicUrl,
    long maxBlobBytes,
    boolean getAuthRequired,
    boolean listAuthRequired,
    boolean syncWrites,
    Duration uploadTimeout,
    Duration maxFutureSkew,
    int maxListItems,
    Clock clock) {

  /** 2 GiB: large files stream, so the limit is about disk, not memory. */
  public static final long DEFAULT_MAX_BLOB_BYTES = 2L * 1024 * 1024 * 1024;

  public BlossomConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(publicUrl, "publicUrl");
    Objects.requireNonNull(clock, "clock");
    publicUrl =
        publicUrl.map(
            url ->
                BlossomServers.normalize(url.toString())
                    .orElseThrow(
                        () ->
                            new IllegalArgumentException(
                                "the public URL must be http(s) with a host")));
    if (maxBlobBytes <= 0 || maxListItems <= 0) {
      throw new IllegalArgumentException("limits must be positive");
    }
    if (uploadTimeout == null
        || uploadTimeout.isNegative()
        || uploadTimeout.isZero()
        || maxFutureSkew == null
        || maxFutureSkew.isNegative()) {
      throw new IllegalArgumentException(
          "the upload timeout must be positive and the skew not negative");
    }
  }

  public static BlossomConfig defaults(Path dataDir) {
    return new BlossomConfig(
        dataDir,
        Optional.empty(),
        DEFAULT_MAX_BLOB_BYTES,
        false,
        false,
        true,
        Duration.ofMinutes(30),
        Duration.ofSeconds(60),
        10_000,
        Clock.systemUTC());
  }

  public BlossomConfig withPublicUrl(URI value) {
    return new BlossomConfig(
        dataDir,
        Optional.of(value),
        maxBlobBytes,
        getAuthRequired,
        listAuthRequired,
        syncWrites,
        uploadTimeout,
        maxFutureSkew,
        maxListItems,
        clock);
  }

  public BlossomConfig withMaxBlobBytes(long value) {
    return new BlossomConfig(
        dataDir,
        publicUrl,
        value,
        getAuthRequired,
        listAuthRequired,
        syncWrites,
        uploadTimeout,
        maxFutureSkew,
        maxListItems,
        clock);
  }

  public BlossomConfig withGetAuthRequired(boolean value) {
    return new BlossomConfig(
        dataDir,
        publicUrl,
        maxBlobBytes,
        value,
        listAuthRequired,
        syncWrites,
        uploadTimeout,
        maxFutureSkew,
        maxListItems,
        clock);
  }

  public BlossomConfig withListAuthRequired(boolean value) {
    return new BlossomConfig(
        dataDir,
        publicUrl,
        maxBlobBytes,
        getAuthRequired,
        value,
        syncWrites,
        uploadTimeout,
        maxFutureSkew,
        maxListItems,
        clock);
  }

  public BlossomConfig withSyncWrites(boolean value) {
    return new BlossomConfig(
        dataDir,
        publicUrl,
        maxBlobBytes,
        getAuthRequired,
        listAuthRequired,
        value,
        uploadTimeout,
        maxFutureSkew,
        maxListItems,
        clock);
  }

  public BlossomConfig withClock(Clock value) {
    return new BlossomConfig(
        dataDir,
        publicUrl,
        maxBlobBytes,
        getAuthRequired,
        listAuthRequired,
        syncWrites,
        uploadTimeout,
        maxFutureSkew,
        maxListItems,
        value);
  }
}
