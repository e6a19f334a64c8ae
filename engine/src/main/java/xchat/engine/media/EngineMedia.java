package xchat.engine.media;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xchat.engine.api.EngineEvent;
import xchat.engine.api.FileResult;
import xchat.engine.api.FileSendResult;
import xchat.engine.api.FileServerDeletion;
import xchat.engine.runtime.EngineContext;
import xchat.engine.transport.RelayUrl;
import xchat.persistence.CircleId;
import xchat.persistence.UnknownCircleException;
import xchat.protocol.blossom.BlossomServerList;
import xchat.protocol.blossom.BlossomServers;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.keys.PublicKey;
import xchat.protocol.nip17.FileMetadata;

/**
 * The engine's media: one {@link MediaService} over the account's home, its cache keyed by each
 * circle's key in the encrypted store, progress as engine events, NIP-B7 server lists, and the
 * bookkeeping that lets every device drop a deleted message's cached file.
 *
 * <p>Which message's file a cache entry holds is kept in the encrypted store (device state, key
 * {@code xchat/media/CIRCLE/MESSAGE_ID}), because the deleted message itself is erased before its
 * deletion reaches the cache.
 */
public final class EngineMedia implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EngineMedia.class);
  /** The purpose under which the store derives a circle's cache key from the circle's secret. */
  static final String CACHE_KEY_PURPOSE = "xchat/media-cache/v1";
  private static final String INDEX_PREFIX = "xchat/media/";
  private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(5);

  private final EngineContext engine;
  private final Path home;
  private final BlossomClientSettings settings;
  private final EncryptedMediaCache cache;
  private final ServerListLookup lookup;
  private final Flow.Subscription[] subscription = new Flow.Subscription[1];
  /** Made on first use: an engine that never moves a file starts no HTTP client (and its selector thread). */
  private MediaService service;

  private EngineMedia(EngineContext engine, Path home, BlossomClientSettings settings, EncryptedMediaCache cache,
      ServerListLookup lookup) {
    this.engine = engine;
    this.home = home;
    this.settings = settings;
    this.cache = cache;
    this.lookup = lookup;
  }

  /**
   * Media under {@code home/media}: {@code cache} (encrypted under each circle's key) and
   * {@code work} (ciphertext in transit, removed after each transfer). Listens to the engine's
   * events: an erased or expired file message drops its cached file, a removed circle its cache.
   */
  public static EngineMedia start(EngineContext engine, Path home, BlossomClientSettings settings) {
    EncryptedMediaCache cache = new EncryptedMediaCache(home.resolve("media").resolve("cache"),
        circle -> cacheKey(engine, circle), new SecureRandom());
    ServerListLookup lookup = new ServerListLookup(engine.transport(), engine.curve(), engine.executor(),
        LOOKUP_TIMEOUT);
    EngineMedia media = new EngineMedia(engine, home, settings, cache, lookup);
    engine.events().publisher().subscribe(media.new Listener());
    return media;
  }

  private synchronized MediaService service() {
    if (service == null) {
      SecureRandom random = new SecureRandom();
      BlossomClient client = new BlossomClient(engine.executor(), settings, engine.clock(), engine.curve(), random);
      service = new MediaService(client, cache, home.resolve("media").resolve("work"), random, engine.executor());
    }
    return service;
  }

  private static byte[] cacheKey(EngineContext engine, String circle) {
    try {
      return engine.store().circleDerivedKey(CircleId.of(circle), CACHE_KEY_PURPOSE);
    } catch (UnknownCircleException e) {
      throw new IllegalStateException("the circle has no key: unknown, or removed and shredded");
    }
  }

  // ---- Sending ----------------------------------------------------------------------------------

  /** Encrypts {@code file} and uploads it to {@code servers}; the metadata is ready for a kind-15 rumor. */
  public CompletableFuture<SendResult> upload(String circle, Path file, String mimeType, List<URI> servers) {
    ProgressEvents progress = new ProgressEvents(engine.events(), circle, String.valueOf(file.getFileName()));
    return service().send(engine.keys(), file, mimeType, servers, progress);
  }

  /** Per-server outcomes as the API shows them. */
  public static List<FileSendResult.ServerUpload> uploads(UploadReport report) {
    List<FileSendResult.ServerUpload> out = new ArrayList<>();
    for (UploadReport.ServerUpload server : report.servers()) {
      if (server instanceof UploadReport.ServerUpload.Uploaded) {
        out.add(new FileSendResult.ServerUpload(server.server().toString(),
            FileSendResult.ServerUpload.Status.UPLOADED, Optional.empty()));
      } else if (server instanceof UploadReport.ServerUpload.AlreadyStored) {
        out.add(new FileSendResult.ServerUpload(server.server().toString(),
            FileSendResult.ServerUpload.Status.ALREADY_STORED, Optional.empty()));
      } else {
        TransferFailure failure = ((UploadReport.ServerUpload.Failed) server).failure();
        out.add(new FileSendResult.ServerUpload(server.server().toString(),
            FileSendResult.ServerUpload.Status.FAILED, Optional.of(describe(failure))));
      }
    }
    return out;
  }

  /** This account's NIP-B7 server list (kind 10063), signed, for the circle's relays. */
  public NostrEvent serverListEvent(List<URI> servers) {
    byte[] aux = new byte[32];
    engine.random().nextBytes(aux);
    return new BlossomServerList(engine.keys().publicKey(), engine.nowSeconds(), servers).toUnsignedEvent()
        .sign(engine.keys(), engine.curve(), aux);
  }

  /** The servers of a circle as URIs; entries that are not Blossom server URLs are skipped. */
  public static List<URI> servers(List<String> urls) {
    List<URI> out = new ArrayList<>();
    for (String url : urls) {
      BlossomServers.normalize(url).filter(u -> !out.contains(u)).ifPresent(out::add);
    }
    return out;
  }

  // ---- Receiving --------------------------------------------------------------------------------

  /**
   * Makes the file of {@code messageId} available in the circle's encrypted cache and writes it to
   * {@code target}. Sources: the message's URL and fallbacks, then {@code knownServers}, then the
   * sender's NIP-B7 list on {@code relays}.
   */
  public CompletableFuture<FileResult> fetch(String circle, String messageId, FileMetadata file, PublicKey sender,
      List<URI> knownServers, List<RelayUrl> relays, Path target) {
    if (cache.contains(circle, file.encryptedSha256())) {
      return CompletableFuture.supplyAsync(() -> {
        remember(circle, messageId, file);
        return save(circle, messageId, file, target, Optional.empty(), List.of());
      }, engine.executor());
    }
    ProgressEvents progress = new ProgressEvents(engine.events(), circle, file.encryptedSha256());
    return lookup.servers(sender, relays)
        .thenCompose(listed -> {
          List<URI> servers = new ArrayList<>(knownServers);
          listed.stream().filter(s -> !servers.contains(s)).forEach(servers::add);
          return service().receive(circle, file, servers, progress);
        })
        .thenApplyAsync(result -> {
          if (result instanceof ReceiveResult.Received received) {
            remember(circle, messageId, file);
            return save(circle, messageId, file, target, received.from().map(URI::toString),
                failed(received.failedFirst()));
          }
          if (result instanceof ReceiveResult.Unavailable unavailable) {
            boolean tampered = unavailable.attempts().stream().anyMatch(a -> isTampering(a.failure().kind()));
            return (FileResult) new FileResult.Failed(
                tampered ? FileResult.Reason.TAMPERED : FileResult.Reason.UNAVAILABLE,
                tampered ? "no source served the blob the message names: what was served does not match its hash"
                    : "no source served the blob",
                failed(unavailable.attempts()));
          }
          ReceiveResult.Rejected rejected = (ReceiveResult.Rejected) result;
          FileResult.Reason reason = switch (rejected.reason()) {
            case BAD_KEY -> FileResult.Reason.BAD_KEY;
            case CIPHERTEXT_HASH_MISMATCH, SIZE_MISMATCH, TRUNCATED -> FileResult.Reason.TAMPERED;
            case AUTH_TAG_MISMATCH, ORIGINAL_HASH_MISMATCH -> FileResult.Reason.UNDECRYPTABLE;
          };
          return new FileResult.Failed(reason, rejected.detail(), List.of());
        }, engine.executor())
        .exceptionally(error -> {
          Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
          if (cause instanceof IOException) {
            return new FileResult.Failed(FileResult.Reason.LOCAL_IO,
                "reading or writing a local file failed: " + cause.getClass().getSimpleName(), List.of());
          }
          throw error instanceof CompletionException c ? c : new CompletionException(error);
        });
  }

  private static boolean isTampering(TransferFailure.Kind kind) {
    return kind == TransferFailure.Kind.HASH_MISMATCH || kind == TransferFailure.Kind.SIZE_MISMATCH
        || kind == TransferFailure.Kind.TOO_LARGE;
  }

  private FileResult save(String circle, String messageId, FileMetadata file, Path target, Optional<String> from,
      List<FileResult.FailedSource> failedFirst) {
    try {
      Optional<Long> size = service().saveTo(circle, file, target);
      if (size.isEmpty()) {
        return new FileResult.Failed(FileResult.Reason.LOCAL_IO, "the cached file vanished before it was saved",
            List.of());
      }
      return new FileResult.Saved(messageId, target, size.get(), from, failedFirst);
    } catch (CacheCorruptedException e) {
      return new FileResult.Failed(FileResult.Reason.LOCAL_IO, "the cached copy is damaged", List.of());
    } catch (IOException e) {
      return new FileResult.Failed(FileResult.Reason.LOCAL_IO,
          "writing " + target.getFileName() + " failed: " + e.getClass().getSimpleName(), List.of());
    }
  }

  private static List<FileResult.FailedSource> failed(List<DownloadResult.FailedAttempt> attempts) {
    return attempts.stream()
        .map(a -> new FileResult.FailedSource(a.url().toString(), a.failure().kind().name(), a.failure().detail()))
        .toList();
  }

  /** Whether the file of a kind-15 message is in this device's cache. */
  public boolean isCached(String circle, FileMetadata file) {
    return cache.contains(circle, file.encryptedSha256());
  }

  // ---- Deleting ---------------------------------------------------------------------------------

  /**
   * Deletes the blob of a file message from {@code servers} and from the servers its URLs name,
   * and this device's cached copy; publishes {@link EngineEvent.FileDeleted}.
   */
  public CompletableFuture<List<FileServerDeletion>> delete(String circle, String messageId, FileMetadata file,
      List<URI> servers) {
    forget(circle, messageId);
    return service().delete(circle, engine.keys(), file, servers).thenApplyAsync(report -> {
      List<FileServerDeletion> out = report.servers().stream()
          .map(s -> new FileServerDeletion(s.server().toString(),
              FileServerDeletion.Outcome.valueOf(s.outcome().name()), s.failure().map(EngineMedia::describe)))
          .toList();
      engine.events().publish(new EngineEvent.FileDeleted(circle, messageId, out));
      return out;
    }, engine.executor());
  }

  /** Drops the cached file of an erased (deleted or expired) message, if this device has one. */
  public void dropCached(String circle, String messageId) {
    Optional<byte[]> entry = engine.store().deviceState(indexKey(circle, messageId));
    if (entry.isEmpty()) {
      return;
    }
    String x = new String(entry.get(), StandardCharsets.US_ASCII);
    try {
      cache.remove(circle, x);
    } catch (IOException e) {
      LOG.warn("dropping a deleted file from the cache failed: {}", e.getClass().getSimpleName());
      engine.events().publish(new EngineEvent.EngineError(circle, "dropping a deleted file from the cache failed"));
      return;
    }
    engine.store().batch().deleteDeviceState(indexKey(circle, messageId)).commit();
  }

  /** Removes every cached file of a removed circle, and its index. */
  public void shred(String circle) {
    try {
      cache.shred(circle);
    } catch (IOException e) {
      LOG.warn("shredding a circle's media cache failed: {}", e.getClass().getSimpleName());
      engine.events().publish(new EngineEvent.EngineError(circle, "shredding the media cache failed"));
    }
    String prefix = INDEX_PREFIX + circle + "/";
    var batch = engine.store().batch();
    int n = 0;
    for (String key : engine.store().deviceStateKeys()) {
      if (key.startsWith(prefix)) {
        batch.deleteDeviceState(key);
        n++;
      }
    }
    if (n > 0) {
      batch.commit();
    }
  }

  private void remember(String circle, String messageId, FileMetadata file) {
    engine.store().batch()
        .putDeviceState(indexKey(circle, messageId), file.encryptedSha256().getBytes(StandardCharsets.US_ASCII))
        .commit();
  }

  private void forget(String circle, String messageId) {
    try {
      engine.store().batch().deleteDeviceState(indexKey(circle, messageId)).commit();
    } catch (RuntimeException e) {
      LOG.debug("forgetting a cache entry failed: {}", e.getClass().getSimpleName());
    }
  }

  private static String indexKey(String circle, String messageId) {
    return INDEX_PREFIX + circle + "/" + messageId;
  }

  private static String describe(TransferFailure failure) {
    return failure.kind().name() + failure.status().stream().mapToObj(s -> " " + s).findFirst().orElse("")
        + (failure.detail().isEmpty() ? "" : ": " + failure.detail());
  }

  @Override
  public void close() {
    Flow.Subscription s = subscription[0];
    if (s != null) {
      s.cancel();
    }
  }

  /** Erased messages drop their cached files; removed circles lose their caches. */
  private final class Listener implements Flow.Subscriber<EngineEvent> {
    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription[0] = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(EngineEvent event) {
      try {
        if (event instanceof EngineEvent.MessageDeleted deleted) {
          dropCached(deleted.circle(), deleted.messageId());
        } else if (event instanceof EngineEvent.CircleChanged changed && !changed.present()) {
          shred(changed.name());
        }
      } catch (RuntimeException e) {
        // The store may be closing under us; the next open sees the same index and tries again.
        LOG.warn("media bookkeeping for {} failed: {}", event.getClass().getSimpleName(),
            e.getClass().getSimpleName());
      }
    }

    @Override
    public void onError(Throwable throwable) {}

    @Override
    public void onComplete() {}
  }
}
