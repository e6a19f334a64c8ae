package xchat.engine.media;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpResponse.ResponseInfo;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.LongConsumer;
import xchat.engine.media.DeleteReport.Outcome;
import xchat.engine.media.DeleteReport.ServerDeletion;
import xchat.engine.media.DownloadResult.Downloaded;
import xchat.engine.media.DownloadResult.FailedAttempt;
import xchat.engine.media.DownloadResult.Unavailable;
import xchat.engine.media.MediaProgress.Phase;
import xchat.engine.media.TransferFailure.Kind;
import xchat.engine.media.UploadReport.ServerUpload;
import xchat.protocol.blossom.BlobDescriptor;
import xchat.protocol.blossom.BlobDescriptorParseException;
import xchat.protocol.blossom.BlossomAuth;
import xchat.protocol.blossom.BlossomServers;
import xchat.protocol.blossom.BlossomVerb;
import xchat.protocol.blossom.Sha256Hex;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.hex.Hex;
import xchat.protocol.keys.KeyPair;

/**
 * A Blossom client (BUD-01, BUD-02) on the JDK HTTP client. Uploads stream from a file and
 * downloads stream to one, so a blob's size does not matter to memory. Every operation is per
 * server and reports per server; transient failures (no connection, 5xx, 429) are retried with
 * backoff, and an interrupted download resumes with a byte range where the server allows it.
 *
 * <p>All work runs on the executor given at construction; nothing touches the common pool.
 */
public final class BlossomClient {
  /** Descriptors and error bodies are small; a server sending more is misbehaving. */
  private static final int MAX_RESPONSE_BYTES = 256 * 1024;

  private final HttpClient http;
  private final Executor executor;
  private final BlossomClientSettings settings;
  private final Clock clock;
  private final Secp256k1 curve;
  private final SecureRandom random;

  public BlossomClient(
      Executor executor,
      BlossomClientSettings settings,
      Clock clock,
      Secp256k1 curve,
      SecureRandom random) {
    if (executor == null || settings == null || clock == null || curve == null || random == null) {
      throw new IllegalArgumentException(
          "executor, settings, clock, curve and random are required");
    }
    this.executor = executor;
    this.settings = settings;
    this.clock = clock;
    this.curve = curve;
    this.random = random;
    this.http =
        HttpClient.newBuilder()
            .executor(executor)
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(settings.connectTimeout())
            // BUD-01 lets a GET redirect to wherever the blob lives; the hash check makes that
            // safe.
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  // ---------------------------------------------------------------- upload

  /**
   * Uploads {@code blob} to every server at once, each streaming from the file. A server that
   * already serves the hash is not sent the bytes again, so repeating an interrupted upload resumes
   * it server by server.
   *
   * @param sha256 the blob's hash, as the file's encryption computed it
   */
  public CompletableFuture<UploadReport> upload(
      KeyPair signer,
      Path blob,
      String sha256,
      String mimeType,
      List<URI> servers,
      MediaProgress progress) {
    Sha256Hex.require(sha256, "sha256");
    long size;
    try {
      size = Files.size(blob);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    List<CompletableFuture<ServerUpload>> each = new ArrayList<>(servers.size());
    for (URI server : servers) {
      each.add(uploadTo(signer, server, blob, size, sha256, mimeType, progress));
    }
    return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
        .thenApply(
            done -> new UploadReport(sha256, each.stream().map(CompletableFuture::join).toList()));
  }

  private CompletableFuture<ServerUpload> uploadTo(
      KeyPair signer,
      URI server,
      Path blob,
      long size,
      String sha256,
      String mimeType,
      MediaProgress progress) {
    URI blobUrl = BlossomServers.blobUrl(server, sha256, "");
    // One probe, no retries: a server that cannot answer it may still take the upload, which
    // retries on its own.
    return head(blobUrl, 1)
        .handle((present, error) -> error == null ? present : OptionalLong.empty())
        .thenCompose(
            present -> {
              if (present.isPresent() && present.getAsLong() == size) {
                progress.onProgress(
                    new MediaProgress.Update(Phase.UPLOADING, Optional.of(server), size, size));
                return CompletableFuture.completedFuture(
                    new ServerUpload.AlreadyStored(server, blobUrl));
              }
              return retrying(
                  attempt ->
                      putOnce(signer, server, blob, size, sha256, mimeType, progress, attempt));
            });
  }

  private CompletableFuture<Step<ServerUpload>> putOnce(
      KeyPair signer,
      URI server,
      Path blob,
      long size,
      String sha256,
      String mimeType,
      MediaProgress progress,
      int attempt) {
    BodyPublisher body;
    try {
      body =
          counting(
              BodyPublishers.ofFile(blob),
              done ->
                  progress.onProgress(
                      new MediaProgress.Update(Phase.UPLOADING, Optional.of(server), done, size)));
    } catch (FileNotFoundException e) {
      return CompletableFuture.completedFuture(
          Step.last(
              new ServerUpload.Failed(
                  server, TransferFailure.of(Kind.LOCAL_IO, "the blob file is gone"), attempt)));
    }
    HttpRequest request =
        HttpRequest.newBuilder(BlossomServers.endpoint(server, "upload"))
            .timeout(settings.transferTimeout())
            .header(
                "Authorization", authorization(signer, BlossomVerb.UPLOAD, sha256, "Upload blob"))
            .header("Content-Type", mimeType)
            .header("X-SHA-256", sha256)
            // A server that refuses the authorization answers before we stream the body.
            .expectContinue(true)
            .PUT(body)
            .build();
    return http.sendAsync(request, bounded(MAX_RESPONSE_BYTES))
        .handle(
            (response, error) -> {
              if (error != null) {
                return networkStep(
                    error, failure -> new ServerUpload.Failed(server, failure, attempt));
              }
              int status = response.statusCode();
              if (status / 100 != 2) {
                return Step.of(
                    new ServerUpload.Failed(
                        server, statusFailure(status, response.headers()), attempt),
                    isTransient(status));
              }
              try {
                BlobDescriptor descriptor = BlobDescriptor.parse(response.body());
                if (!descriptor.sha256().equals(sha256) || descriptor.size() != size) {
                  return Step.last(
                      new ServerUpload.Failed(
                          server,
                          TransferFailure.http(
                              Kind.BAD_RESPONSE, status, "the server describes a different blob"),
                          attempt));
                }
                return Step.last(new ServerUpload.Uploaded(server, descriptor, attempt));
              } catch (BlobDescriptorParseException e) {
                return Step.last(
                    new ServerUpload.Failed(
                        server,
                        TransferFailure.http(
                            Kind.BAD_RESPONSE, status, "not a blob descriptor: " + e.reason()),
                        attempt));
              }
            });
  }

  // ---------------------------------------------------------------- download

  /**
   * Fetches the blob named {@code sha256} from the first candidate that serves it, into {@code
   * target}. Each candidate's bytes are hashed as they arrive; a candidate whose bytes do not hash
   * to {@code sha256} (corrupted or substituted) is dropped and the next one tried. {@code target}
   * appears only once verified.
   *
   * @param expectedSize the message's size tag, when it has one: a larger body is cut off
   */
  public CompletableFuture<DownloadResult> download(
      String sha256,
      OptionalLong expectedSize,
      List<URI> candidates,
      Path target,
      MediaProgress progress) {
    Sha256Hex.require(sha256, "sha256");
    return tryCandidate(
        sha256,
        expectedSize,
        List.copyOf(candidates),
        0,
        target.toAbsolutePath(),
        progress,
        new ArrayList<>());
  }

  private CompletableFuture<DownloadResult> tryCandidate(
      String sha256,
      OptionalLong expectedSize,
      List<URI> candidates,
      int index,
      Path target,
      MediaProgress progress,
      List<FailedAttempt> failures) {
    if (index == candidates.size()) {
      return CompletableFuture.completedFuture(new Unavailable(failures));
    }
    URI url = candidates.get(index);
    Download state;
    try {
      state =
          new Download(
              url,
              Files.createTempFile(target.getParent(), ".xchat-blob-", ".part"),
              expectedSize.orElse(settings.maxDownloadBytes()),
              expectedSize.orElse(-1),
              progress);
    } catch (IOException e) {
      failures.add(
          new FailedAttempt(
              url, TransferFailure.of(Kind.LOCAL_IO, "cannot create a download file")));
      return CompletableFuture.completedFuture(new Unavailable(failures));
    }
    return retrying(attempt -> getOnce(state))
        .thenApplyAsync(failure -> failure.or(() -> verify(state, sha256, expectedSize)), executor)
        .thenCompose(
            failure -> {
              if (failure.isEmpty()) {
                try {
                  move(state.part, target);
                  return CompletableFuture.completedFuture(
                      (DownloadResult) new Downloaded(url, target, state.have, failures));
                } catch (IOException e) {
                  failure =
                      Optional.of(
                          TransferFailure.of(Kind.LOCAL_IO, "cannot move the download into place"));
                }
              }
              discard(state.part);
              failures.add(new FailedAttempt(url, failure.get()));
              return tryCandidate(
                  sha256, expectedSize, candidates, index + 1, target, progress, failures);
            });
  }

  private Optional<TransferFailure> verify(
      Download state, String sha256, OptionalLong expectedSize) {
    if (expectedSize.isPresent() && state.have != expectedSize.getAsLong()) {
      return Optional.of(
          TransferFailure.of(
              Kind.SIZE_MISMATCH,
              "served " + state.have + " bytes, the message says " + expectedSize.getAsLong()));
    }
    if (!MessageDigest.isEqual(state.digest.digest(), Hex.decode(sha256))) {
      return Optional.of(
          TransferFailure.of(Kind.HASH_MISMATCH, "the served bytes are not the named blob"));
    }
    return Optional.empty();
  }

  /** One GET; resumes with a Range request when an earlier attempt left bytes behind. */
  private CompletableFuture<Step<Optional<TransferFailure>>> getOnce(Download state) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(state.url).timeout(settings.transferTimeout()).GET();
    long resumeAt = state.have;
    if (resumeAt > 0) {
      request.header("Range", "bytes=" + resumeAt + "-");
    }
    BodyHandler<Optional<TransferFailure>> handler = info -> state.subscriberFor(info, resumeAt);
    return http.sendAsync(request.build(), handler)
        .handle(
            (response, error) -> {
              if (error != null) {
                return networkStep(error, Optional::of);
              }
              Optional<TransferFailure> failure = response.body();
              boolean retry = isTransient(response.statusCode()) || state.rangeRefused;
              state.rangeRefused = false;
              return Step.of(failure, failure.isPresent() && retry);
            });
  }

  /** The state of one candidate's download, kept across attempts so a retry can resume. */
  private final class Download {
    final URI url;
    final Path part;
    final long limit;
    final long total;
    final MediaProgress progress;
    MessageDigest digest = sha256();
    volatile long have;

    /** The server answered another range than asked: retry from the start. */
    volatile boolean rangeRefused;

    Download(URI url, Path part, long limit, long total, MediaProgress progress) {
      this.url = url;
      this.part = part;
      this.limit = limit;
      this.total = total;
      this.progress = progress;
    }

    BodySubscriber<Optional<TransferFailure>> subscriberFor(ResponseInfo info, long resumeAt) {
      int status = info.statusCode();
      if (status == 206 && resumeAt > 0) {
        if (rangeStart(info.headers()) == resumeAt) {
          return new FileSink(this, true);
        }
        restart();
        rangeRefused = true;
        return BodySubscribers.replacing(
            Optional.of(
                TransferFailure.http(
                    Kind.BAD_RESPONSE, status, "the server answered another byte range")));
      }
      if (status == 200) {
        restart();
        return new FileSink(this, false);
      }
      return BodySubscribers.replacing(Optional.of(statusFailure(status, info.headers())));
    }

    void restart() {
      have = 0;
      digest = sha256();
    }
  }

  /** Writes a body to the download file while hashing it; stops at the size limit. */
  private static final class FileSink implements BodySubscriber<Optional<TransferFailure>> {
    private final Download state;
    private final FileChannel channel;
    private final CompletableFuture<Optional<TransferFailure>> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    FileSink(Download state, boolean append) {
      this.state = state;
      try {
        channel =
            append
                ? FileChannel.open(state.part, StandardOpenOption.WRITE, StandardOpenOption.APPEND)
                : FileChannel.open(
                    state.part, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
      } catch (IOException e) {
        throw new LocalIoException("cannot open the download file", e);
      }
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      subscription.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      try {
        for (ByteBuffer buffer : buffers) {
          int length = buffer.remaining();
          if (state.have + length > state.limit) {
            subscription.cancel();
            finish(
                Optional.of(
                    TransferFailure.of(Kind.TOO_LARGE, "more than " + state.limit + " bytes")));
            return;
          }
          state.digest.update(buffer.duplicate());
          while (buffer.hasRemaining()) {
            channel.write(buffer);
          }
          state.have += length;
        }
        state.progress.onProgress(
            new MediaProgress.Update(
                Phase.DOWNLOADING, Optional.of(state.url), state.have, state.total));
        subscription.request(1);
      } catch (IOException e) {
        subscription.cancel();
        close();
        result.completeExceptionally(new LocalIoException("cannot write the download file", e));
      }
    }

    @Override
    public void onError(Throwable failure) {
      close();
      result.completeExceptionally(failure);
    }

    @Override
    public void onComplete() {
      finish(Optional.empty());
    }

    private void finish(Optional<TransferFailure> failure) {
      close();
      result.complete(failure);
    }

    private void close() {
      try {
        channel.close();
      } catch (IOException e) {
        result.completeExceptionally(new LocalIoException("cannot close the download file", e));
      }
    }

    @Override
    public CompletableFuture<Optional<TransferFailure>> getBody() {
      return result;
    }
  }

  // ---------------------------------------------------------------- delete

  /**
   * Asks every server to delete the blob, with a {@code delete} authorization naming it, and then
   * checks with HEAD that each server that said yes no longer serves it.
   */
  public CompletableFuture<DeleteReport> delete(KeyPair signer, String sha256, List<URI> servers) {
    Sha256Hex.require(sha256, "sha256");
    List<CompletableFuture<ServerDeletion>> each = new ArrayList<>(servers.size());
    for (URI server : servers) {
      each.add(deleteFrom(signer, server, sha256));
    }
    return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
        .thenApply(
            done -> new DeleteReport(sha256, each.stream().map(CompletableFuture::join).toList()));
  }

  private CompletableFuture<ServerDeletion> deleteFrom(KeyPair signer, URI server, String sha256) {
    URI blobUrl = BlossomServers.blobUrl(server, sha256, "");
    return retrying(
            attempt -> {
              HttpRequest request =
                  HttpRequest.newBuilder(blobUrl)
                      .timeout(settings.requestTimeout())
                      .header(
                          "Authorization",
                          authorization(signer, BlossomVerb.DELETE, sha256, "Delete blob"))
                      .DELETE()
                      .build();
              return http.sendAsync(request, bounded(MAX_RESPONSE_BYTES))
                  .handle(
                      (response, error) -> {
                        if (error != null) {
                          return networkStep(
                              error,
                              failure ->
                                  new ServerDeletion(
                                      server, Outcome.UNREACHABLE, Optional.of(failure)));
                        }
                        int status = response.statusCode();
                        if (status / 100 == 2) {
                          return Step.last(
                              new ServerDeletion(server, Outcome.DELETED, Optional.empty()));
                        }
                        TransferFailure failure = statusFailure(status, response.headers());
                        Outcome outcome =
                            status == 404
                                ? Outcome.ALREADY_ABSENT
                                : isTransient(status) ? Outcome.UNREACHABLE : Outcome.REFUSED;
                        return Step.of(
                            new ServerDeletion(
                                server,
                                outcome,
                                status == 404 ? Optional.empty() : Optional.of(failure)),
                            isTransient(status));
                      });
            })
        .thenCompose(
            deletion ->
                deletion.outcome() != Outcome.DELETED
                    ? CompletableFuture.completedFuture(deletion)
                    : head(blobUrl)
                        .handle(
                            (present, error) -> {
                              if (error != null) {
                                return new ServerDeletion(
                                    server,
                                    Outcome.UNCONFIRMED,
                                    Optional.of(
                                        TransferFailure.of(
                                            Kind.UNREACHABLE, "the confirming HEAD failed")));
                              }
                              return present.isPresent()
                                  ? new ServerDeletion(
                                      server, Outcome.STILL_SERVED, Optional.empty())
                                  : deletion;
                            }));
  }

  // ---------------------------------------------------------------- HEAD

  /**
   * The blob's length if {@code blobUrl} serves it (HEAD 200), empty on 404. Fails when the server
   * cannot say, after retries.
   */
  public CompletableFuture<OptionalLong> head(URI blobUrl) {
    return head(blobUrl, settings.maxAttempts());
  }

  private CompletableFuture<OptionalLong> head(URI blobUrl, int maxAttempts) {
    return retrying(
            maxAttempts,
            attempt ->
                http.sendAsync(
                        HttpRequest.newBuilder(blobUrl)
                            .timeout(settings.requestTimeout())
                            .method("HEAD", BodyPublishers.noBody())
                            .build(),
                        HttpResponse.BodyHandlers.discarding())
                    .handle(
                        (response, error) -> {
                          if (error != null) {
                            return networkStep(
                                error,
                                failure ->
                                    new HeadOutcome(OptionalLong.empty(), Optional.of(failure)));
                          }
                          int status = response.statusCode();
                          if (status == 200 || status == 404) {
                            OptionalLong length =
                                status == 404
                                    ? OptionalLong.empty()
                                    : OptionalLong.of(
                                        response
                                            .headers()
                                            .firstValueAsLong("content-length")
                                            .orElse(-1));
                            return Step.last(new HeadOutcome(length, Optional.empty()));
                          }
                          return Step.of(
                              new HeadOutcome(
                                  OptionalLong.empty(),
                                  Optional.of(statusFailure(status, response.headers()))),
                              isTransient(status));
                        }))
        .thenApply(
            outcome -> {
              if (outcome.failure().isPresent()) {
                throw new CompletionException(
                    new IOException("HEAD failed: " + outcome.failure().get().detail()));
              }
              return outcome.length();
            });
  }

  private record HeadOutcome(OptionalLong length, Optional<TransferFailure> failure) {}

  // ---------------------------------------------------------------- helpers

  private String authorization(
      KeyPair signer, BlossomVerb verb, String sha256, String description) {
    long now = clock.millis() / 1000;
    byte[] aux = new byte[32];
    random.nextBytes(aux);
    // Backdated a second: a server whose clock runs slightly behind still sees it as past.
    return BlossomAuth.authorizationHeader(
        BlossomAuth.create(
            signer,
            curve,
            verb,
            List.of(sha256),
            description,
            now - 1,
            now + settings.authValidity().toSeconds(),
            aux));
  }

  /** One attempt's outcome, and whether another attempt could change it. */
  private record Step<T>(T result, boolean retryable) {
    static <T> Step<T> of(T result, boolean retryable) {
      return new Step<>(result, retryable);
    }

    static <T> Step<T> last(T result) {
      return new Step<>(result, false);
    }
  }

  private <T> CompletableFuture<T> retrying(IntFunction<CompletableFuture<Step<T>>> attempt) {
    return retrying(settings.maxAttempts(), attempt);
  }

  private <T> CompletableFuture<T> retrying(
      int maxAttempts, IntFunction<CompletableFuture<Step<T>>> attempt) {
    return retrying(maxAttempts, attempt, 1);
  }

  private <T> CompletableFuture<T> retrying(
      int maxAttempts, IntFunction<CompletableFuture<Step<T>>> attempt, int number) {
    return attempt
        .apply(number)
        .thenCompose(
            step -> {
              if (!step.retryable() || number >= maxAttempts) {
                return CompletableFuture.completedFuture(step.result());
              }
              Executor later =
                  CompletableFuture.delayedExecutor(
                      backoff(number).toMillis(), TimeUnit.MILLISECONDS, executor);
              return CompletableFuture.supplyAsync(() -> number + 1, later)
                  .thenCompose(next -> retrying(maxAttempts, attempt, next));
            });
  }

  /** Exponential with "equal jitter": half fixed, half random, so clients do not retry in step. */
  private Duration backoff(int failedAttempts) {
    long base = settings.initialBackoff().toMillis() << Math.min(failedAttempts - 1, 20);
    long capped = Math.min(base, settings.maxBackoff().toMillis());
    return Duration.ofMillis(capped / 2 + (capped > 1 ? random.nextLong(capped / 2 + 1) : 0));
  }

  /** Network errors may pass; local and protocol errors will not. Bugs propagate. */
  private static <T> Step<T> networkStep(
      Throwable error, java.util.function.Function<TransferFailure, T> toResult) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof LocalIoException local) {
      return Step.last(toResult.apply(TransferFailure.of(Kind.LOCAL_IO, local.getMessage())));
    }
    if (cause instanceof ResponseTooLargeException) {
      return Step.last(toResult.apply(TransferFailure.of(Kind.BAD_RESPONSE, cause.getMessage())));
    }
    if (cause instanceof HttpTimeoutException) {
      return Step.of(toResult.apply(TransferFailure.of(Kind.UNREACHABLE, "timed out")), true);
    }
    if (cause instanceof IOException) {
      return Step.of(toResult.apply(TransferFailure.of(Kind.UNREACHABLE, describe(cause))), true);
    }
    throw error instanceof CompletionException completion
        ? completion
        : new CompletionException(cause);
  }

  private static String describe(Throwable cause) {
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private static boolean isTransient(int status) {
    return status == 429 || status / 100 == 5;
  }

  private static TransferFailure statusFailure(int status, HttpHeaders headers) {
    String reason = headers.firstValue("x-reason").orElse("HTTP " + status);
    Kind kind =
        switch (status) {
          case 401, 403 -> Kind.UNAUTHORIZED;
          case 404 -> Kind.NOT_FOUND;
          case 413 -> Kind.TOO_LARGE;
          default ->
              isTransient(status)
                  ? Kind.SERVER_ERROR
                  : status / 100 == 4 ? Kind.REFUSED : Kind.BAD_RESPONSE;
        };
    return TransferFailure.http(kind, status, reason);
  }

  private static long rangeStart(HttpHeaders headers) {
    // Content-Range: bytes <start>-<end>/<size>
    String value = headers.firstValue("content-range").orElse("");
    if (!value.startsWith("bytes ")) {
      return -1;
    }
    int dash = value.indexOf('-', 6);
    try {
      return dash < 0 ? -1 : Long.parseLong(value.substring(6, dash).strip());
    } catch (NumberFormatException e) {
      return -1; // a range we cannot read is a range we did not ask for
    }
  }

  /** Counts bytes as the HTTP client takes them from the file. */
  private static BodyPublisher counting(BodyPublisher inner, LongConsumer onBytes) {
    return new BodyPublisher() {
      @Override
      public long contentLength() {
        return inner.contentLength();
      }

      @Override
      public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        inner.subscribe(
            new Flow.Subscriber<ByteBuffer>() {
              private long done;

              @Override
              public void onSubscribe(Flow.Subscription subscription) {
                subscriber.onSubscribe(subscription);
              }

              @Override
              public void onNext(ByteBuffer item) {
                done += item.remaining();
                subscriber.onNext(item);
                onBytes.accept(done);
              }

              @Override
              public void onError(Throwable throwable) {
                subscriber.onError(throwable);
              }

              @Override
              public void onComplete() {
                subscriber.onComplete();
              }
            });
      }
    };
  }

  /** A body read into memory, refused past {@code max} bytes. */
  private static BodyHandler<byte[]> bounded(int max) {
    return info -> new BoundedBytes(max);
  }

  private static final class BoundedBytes implements BodySubscriber<byte[]> {
    private final int max;
    private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    BoundedBytes(int max) {
      this.max = max;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      for (ByteBuffer buffer : buffers) {
        if (bytes.size() + buffer.remaining() > max) {
          subscription.cancel();
          result.completeExceptionally(new ResponseTooLargeException(max));
          return;
        }
        byte[] chunk = new byte[buffer.remaining()];
        buffer.get(chunk);
        bytes.writeBytes(chunk);
      }
    }

    @Override
    public void onError(Throwable failure) {
      result.completeExceptionally(failure);
    }

    @Override
    public void onComplete() {
      result.complete(bytes.toByteArray());
    }

    @Override
    public CompletableFuture<byte[]> getBody() {
      return result;
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void discard(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete a rejected download", e);
    }
  }

  /** A local file failed, not the network: retrying the server will not help. */
  static final class LocalIoException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LocalIoException(String message, IOException cause) {
      super(message, cause);
    }
  }

  /** A response body past the limit for its kind. */
  static final class ResponseTooLargeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ResponseTooLargeException(int max) {
      super("the response is larger than " + max + " bytes");
    }
  }
}
