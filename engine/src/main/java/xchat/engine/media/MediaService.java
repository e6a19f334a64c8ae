package xchat.engine.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import xchat.engine.media.DownloadResult.Downloaded;
import xchat.engine.media.DownloadResult.Unavailable;
import xchat.engine.media.MediaProgress.Phase;
import xchat.protocol.blossom.BlossomServers;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.media.DecryptResult;
import xchat.protocol.media.EncryptedMedia;
import xchat.protocol.media.MediaCipher;
import xchat.protocol.nip17.FileMetadata;

/**
 * Encrypted files for NIP-17 kind-15 messages, end to end: encrypt and upload to a circle's Blossom
 * servers; download with fallback, verify and decrypt into the encrypted cache; delete from every
 * server and from the cache. Ciphertext passes through {@code workDir} and is removed afterwards;
 * plaintext is written only into the encrypted cache.
 */
public final class MediaService {
  private final BlossomClient client;
  private final EncryptedMediaCache cache;
  private final Path workDir;
  private final SecureRandom random;
  private final Executor executor;

  public MediaService(
      BlossomClient client,
      EncryptedMediaCache cache,
      Path workDir,
      SecureRandom random,
      Executor executor) {
    if (client == null || cache == null || workDir == null || random == null || executor == null) {
      throw new IllegalArgumentException(
          "client, cache, work directory, random and executor are required");
    }
    this.client = client;
    this.cache = cache;
    this.workDir = workDir;
    this.random = random;
    this.executor = executor;
  }

  /**
   * Encrypts {@code file} under a fresh key and uploads the ciphertext to every server. The
   * metadata is ready for {@code ChatRumors.file}.
   */
  public CompletableFuture<SendResult> send(
      KeyPair sender, Path file, String mimeType, List<URI> servers, MediaProgress progress) {
    return CompletableFuture.supplyAsync(() -> encrypt(file, progress), executor)
        .thenCompose(
            encrypted ->
                client
                    .upload(
                        sender,
                        encrypted.blob,
                        encrypted.media.ciphertextSha256(),
                        "application/octet-stream",
                        servers,
                        progress)
                    .whenComplete((report, error) -> discard(encrypted.blob))
                    .thenApply(report -> sent(encrypted.media, mimeType, report)));
  }

  private record Encrypted(EncryptedMedia media, Path blob) {}

  private Encrypted encrypt(Path file, MediaProgress progress) {
    try {
      Files.createDirectories(workDir);
      Path blob = Files.createTempFile(workDir, ".xchat-upload-", ".blob");
      try {
        EncryptedMedia media =
            MediaCipher.encrypt(
                file,
                blob,
                random,
                (done, total) ->
                    progress.onProgress(
                        new MediaProgress.Update(Phase.ENCRYPTING, Optional.empty(), done, total)));
        return new Encrypted(media, blob);
      } catch (IOException | RuntimeException e) {
        Files.deleteIfExists(blob);
        throw e;
      }
    } catch (IOException e) {
      throw new CompletionException(e);
    }
  }

  private static SendResult sent(EncryptedMedia media, String mimeType, UploadReport report) {
    List<URI> urls = report.blobUrls();
    if (urls.isEmpty()) {
      return new SendResult.NotSent(report);
    }
    List<String> fallbacks = urls.subList(1, urls.size()).stream().map(URI::toString).toList();
    return new SendResult.Sent(
        media.metadata(urls.get(0).toString(), mimeType, Optional.empty(), fallbacks), report);
  }

  /**
   * Makes the file of a kind-15 message available in the cache of {@code circle}. Tries the
   * message's URL, its fallbacks, then the sender's kind-10063 servers; a server serving other
   * bytes than {@code x} is skipped. The blob is checked against {@code x} before decryption, and
   * the plaintext against {@code ox} before the cache entry becomes visible.
   */
  public CompletableFuture<ReceiveResult> receive(
      String circle, FileMetadata file, List<URI> senderServers, MediaProgress progress) {
    String entryId = file.encryptedSha256();
    if (cache.contains(circle, entryId)) {
      return CompletableFuture.completedFuture(
          new ReceiveResult.Received(entryId, -1, Optional.empty(), List.of()));
    }
    Optional<MediaCipher.Expected> expected = MediaCipher.Expected.of(file);
    if (expected.isEmpty()) {
      return CompletableFuture.completedFuture(
          new ReceiveResult.Rejected(
              DecryptResult.Reason.BAD_KEY,
              "the decryption key or nonce is not valid hex of the right length",
              Optional.empty()));
    }
    Path target;
    try {
      Files.createDirectories(workDir);
      target = Files.createTempFile(workDir, ".xchat-download-", ".blob");
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    List<URI> candidates = BlossomServers.downloadCandidates(file, senderServers);
    OptionalLong size = expected.get().ciphertextSize();
    return client
        .download(entryId, size, candidates, target, progress)
        .thenApplyAsync(
            result -> {
              if (result instanceof Unavailable unavailable) {
                return (ReceiveResult) new ReceiveResult.Unavailable(unavailable.attempts());
              }
              return decryptIntoCache(
                  circle, entryId, expected.get(), (Downloaded) result, progress);
            },
            executor)
        .whenComplete((result, error) -> discard(target));
  }

  private ReceiveResult decryptIntoCache(
      String circle,
      String entryId,
      MediaCipher.Expected expected,
      Downloaded blob,
      MediaProgress progress) {
    try (InputStream in = Files.newInputStream(blob.file());
        EncryptedMediaCache.Writer out = cache.create(circle, entryId)) {
      DecryptResult result =
          MediaCipher.decrypt(
              in,
              expected,
              out,
              blob.size(),
              (done, total) ->
                  progress.onProgress(
                      new MediaProgress.Update(Phase.DECRYPTING, Optional.empty(), done, total)));
      if (result instanceof DecryptResult.Rejected rejected) {
        return new ReceiveResult.Rejected(
            rejected.reason(), rejected.detail(), Optional.of(blob.from()));
      }
      out.commit();
      return new ReceiveResult.Received(
          entryId,
          ((DecryptResult.Decrypted) result).size(),
          Optional.of(blob.from()),
          blob.failedFirst());
    } catch (IOException e) {
      throw new CompletionException(e);
    }
  }

  /** The cached plaintext of a received file, authenticated as it is read; empty if not cached. */
  public Optional<InputStream> open(String circle, FileMetadata file) throws IOException {
    return cache.open(circle, file.encryptedSha256());
  }

  /** Saves a received file where the user asked; empty if it is not cached. */
  public Optional<Long> saveTo(String circle, FileMetadata file, Path target) throws IOException {
    return cache.copyTo(circle, file.encryptedSha256(), target);
  }

  /**
   * Deletes for everyone, as the sender: the blob on every server (the given ones, and those the
   * message's URLs name), and this device's cached copy. The message itself is deleted by the
   * engine's deletion protocol; other devices call {@link #dropCached} when they see it.
   */
  public CompletableFuture<DeleteReport> delete(
      String circle, KeyPair sender, FileMetadata file, List<URI> servers) {
    Set<URI> all = new LinkedHashSet<>(servers);
    BlossomServers.serverOf(file.url()).ifPresent(all::add);
    for (String fallback : file.fallbackUrls()) {
      BlossomServers.serverOf(fallback).ifPresent(all::add);
    }
    try {
      dropCached(circle, file);
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    return client.delete(sender, file.encryptedSha256(), new ArrayList<>(all));
  }

  /** Drops this device's cached copy of a file whose message was deleted. */
  public boolean dropCached(String circle, FileMetadata file) throws IOException {
    return cache.remove(circle, file.encryptedSha256());
  }

  /** Removes every cached file of a circle that is being removed. */
  public void shred(String circle) throws IOException {
    cache.shred(circle);
  }

  private static void discard(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete a ciphertext work file", e);
    }
  }
}
