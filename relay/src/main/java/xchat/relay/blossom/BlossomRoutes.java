package xchat.relay.blossom;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.completeWithFuture;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.delete;
import static org.apache.pekko.http.javadsl.server.Directives.extractMaterializer;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.head;
import static org.apache.pekko.http.javadsl.server.Directives.options;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.put;
import static org.apache.pekko.http.javadsl.server.Directives.reject;
import static org.apache.pekko.http.javadsl.server.Directives.withRangeSupport;
import static org.apache.pekko.http.javadsl.server.Directives.withRequestTimeout;
import static org.apache.pekko.http.javadsl.server.Directives.withSizeLimit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.FileIO;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import xchat.protocol.blossom.BlobDescriptor;
import xchat.protocol.blossom.BlossomAuthValidation;
import xchat.protocol.blossom.BlossomAuthValidation.Authorized;
import xchat.protocol.blossom.BlossomAuthValidation.Refused;
import xchat.protocol.blossom.BlossomAuthValidator;
import xchat.protocol.blossom.BlossomVerb;
import xchat.protocol.blossom.Sha256Hex;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.event.EventJson;
import xchat.protocol.hex.Hex;
import xchat.protocol.keys.PublicKey;
import xchat.relay.blossom.BlobStore.StoredBlob;

/**
 * A Blossom server (BUD-01, BUD-02) as a Pekko HTTP route: {@code GET|HEAD /<sha256>[.ext]}, {@code
 * PUT /upload}, {@code DELETE /<sha256>} and {@code GET /list/<pubkey>}, with kind-24242
 * authorization. Paths that are not Blossom's are rejected, so the route composes in front of
 * another handler (the relay's WebSocket endpoint) with {@code concat}.
 *
 * <p>Uploads stream to a file while they are hashed; the blob is named by its hash only when the
 * body is complete and the authorization's {@code x} tag names that hash. Blocking file work runs
 * on Pekko's blocking-I/O dispatcher, never on the route's.
 */
public final class BlossomRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(BlossomRoutes.class);
  private static final int CHUNK_BYTES = 64 * 1024;

  /**
   * A refused body up to this size is read and dropped, keeping the connection; larger ones close
   * it.
   */
  private static final long DRAIN_LIMIT = 1024 * 1024;

  private static final Map<String, String> EXTENSIONS =
      Map.ofEntries(
          Map.entry("image/jpeg", ".jpg"),
          Map.entry("image/png", ".png"),
          Map.entry("image/gif", ".gif"),
          Map.entry("image/webp", ".webp"),
          Map.entry("video/mp4", ".mp4"),
          Map.entry("video/webm", ".webm"),
          Map.entry("audio/mpeg", ".mp3"),
          Map.entry("audio/ogg", ".ogg"),
          Map.entry("application/pdf", ".pdf"),
          Map.entry("text/plain", ".txt"));

  private final BlossomConfig config;
  private final BlobStore store;
  private final BlossomAuthValidator validator;
  private final Executor blocking;

  private BlossomRoutes(BlossomConfig config, BlobStore store, Executor blocking) {
    this.config = config;
    this.store = store;
    this.blocking = blocking;
    this.validator =
        new BlossomAuthValidator(
            Secp256k1.defaultBackend(),
            config.maxFutureSkew().toSeconds(),
            config.publicUrl().map(URI::toString));
  }

  /**
   * Opens the blob store in {@code config.dataDir()}.
   *
   * @throws UncheckedIOException when the store cannot be opened
   */
  public static BlossomRoutes create(BlossomConfig config, ClassicActorSystemProvider system) {
    BlobStore store;
    try {
      store = BlobStore.open(config.dataDir(), config.syncWrites());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the Blossom store in " + config.dataDir(), e);
    }
    Executor blocking =
        system.classicSystem().dispatchers().lookup("pekko.actor.default-blocking-io-dispatcher");
    return new BlossomRoutes(config, store, blocking);
  }

  public BlossomConfig config() {
    return config;
  }

  /** The blobs, for tests and tools that inspect what the server holds. */
  public BlobStore store() {
    return store;
  }

  public Route route() {
    return concat(
        path(
            "upload",
            () ->
                concat(
                    put(
                        () ->
                            withSizeLimit(
                                config.maxBlobBytes(),
                                () ->
                                    withRequestTimeout(
                                        config.uploadTimeout(),
                                        () -> extractRequest(this::upload)))),
                    options(() -> complete(preflight())))),
        pathPrefix(
            "list",
            () ->
                path(
                    PathMatchers.segment(),
                    pubkey ->
                        concat(
                            get(() -> extractRequest(request -> list(pubkey, request))),
                            options(() -> complete(preflight()))))),
        path(
            PathMatchers.segment(),
            name ->
                blobName(name)
                    .<Route>map(
                        sha256 ->
                            concat(
                                get(
                                    () ->
                                        withRangeSupport(
                                            () ->
                                                extractRequest(request -> fetch(sha256, request)))),
                                head(() -> extractRequest(request -> fetch(sha256, request))),
                                delete(() -> extractRequest(request -> remove(sha256, request))),
                                options(() -> complete(preflight()))))
                    .orElseGet(() -> reject())));
  }

  // ---------------------------------------------------------------- GET, HEAD

  private Route fetch(String sha256, HttpRequest request) {
    if (config.getAuthRequired()) {
      BlossomAuthValidation auth = authorize(request, BlossomVerb.GET, Optional.of(sha256));
      if (auth instanceof Refused refused) {
        return complete(error(StatusCodes.UNAUTHORIZED, refused.reason().message()));
      }
    }
    Optional<StoredBlob> blob = store.find(sha256);
    if (blob.isEmpty()) {
      return complete(error(StatusCodes.NOT_FOUND, "blob not found"));
    }
    try {
      return complete(
          cors(
              HttpResponse.create()
                  .withEntity(
                      HttpEntities.create(
                          contentType(blob.get().type()), store.blobPath(sha256), CHUNK_BYTES))));
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof NoSuchFileException) {
        return complete(error(StatusCodes.NOT_FOUND, "blob not found")); // deleted since find()
      }
      throw e;
    }
  }

  // ---------------------------------------------------------------- PUT /upload

  private Route upload(HttpRequest request) {
    BlossomAuthValidation auth = authorize(request, BlossomVerb.UPLOAD, Optional.empty());
    if (auth instanceof Refused refused) {
      return extractMaterializer(
          materializer ->
              completeWithFuture(
                  refuseUnread(
                      request,
                      materializer,
                      StatusCodes.UNAUTHORIZED,
                      refused.reason().message())));
    }
    Authorized authorized = (Authorized) auth;
    OptionalLong declared = request.entity().getContentLengthOption();
    if (declared.isPresent() && declared.getAsLong() > config.maxBlobBytes()) {
      return extractMaterializer(
          materializer ->
              completeWithFuture(
                  refuseUnread(
                      request,
                      materializer,
                      StatusCodes.PAYLOAD_TOO_LARGE,
                      "the blob is larger than " + config.maxBlobBytes() + " bytes")));
    }
    // BUD-06: a client may announce the hash; refusing now saves streaming a body we would drop.
    Optional<String> announced = header(request, "x-sha-256");
    if (announced.isPresent()
        && (!Sha256Hex.isValid(announced.get())
            || !validator.covers(authorized.event(), BlossomVerb.UPLOAD, announced.get()))) {
      return extractMaterializer(
          materializer ->
              completeWithFuture(
                  refuseUnread(
                      request,
                      materializer,
                      StatusCodes.FORBIDDEN,
                      BlossomAuthValidation.Reason.BLOB_NOT_COVERED.message())));
    }
    String type =
        request.entity().getContentType().equals(ContentTypes.NO_CONTENT_TYPE)
            ? BlobDescriptor.UNKNOWN_TYPE
            : request.entity().getContentType().mediaType().toString();
    return extractMaterializer(
        materializer -> completeWithFuture(receive(request, authorized, type, materializer)));
  }

  private CompletionStage<HttpResponse> receive(
      HttpRequest request, Authorized authorized, String type, Materializer materializer) {
    Path part;
    try {
      part = store.newIncomingFile();
    } catch (IOException e) {
      LOG.warn("cannot create an upload file", e);
      request.discardEntityBytes(materializer);
      return CompletableFuture.completedFuture(
          error(StatusCodes.INTERNAL_SERVER_ERROR, "storage unavailable"));
    }
    MessageDigest digest = sha256();
    return request
        .entity()
        .withSizeLimit(config.maxBlobBytes())
        .getDataBytes()
        .map(bytes -> hash(digest, bytes))
        .runWith(FileIO.toPath(part), materializer)
        .handleAsync(
            (io, failure) -> {
              try {
                if (failure != null) {
                  Files.deleteIfExists(part);
                  return uploadFailed(failure);
                }
                String sha256 = Hex.encode(digest.digest());
                if (!validator.covers(authorized.event(), BlossomVerb.UPLOAD, sha256)) {
                  Files.deleteIfExists(part);
                  return error(
                      StatusCodes.FORBIDDEN,
                      BlossomAuthValidation.Reason.BLOB_NOT_COVERED.message());
                }
                StoredBlob stored =
                    store.commit(part, sha256, io.getCount(), type, authorized.pubkey(), now());
                BlobDescriptor descriptor =
                    descriptor(stored, stored.owners().get(authorized.pubkey().hex()), request);
                return json(StatusCodes.OK, descriptor.toJson());
              } catch (IOException e) {
                LOG.warn("storing an upload failed", e);
                deleteQuietly(part);
                return error(StatusCodes.INTERNAL_SERVER_ERROR, "storage failed");
              }
            },
            blocking);
  }

  private static ByteString hash(MessageDigest digest, ByteString bytes) {
    for (ByteBuffer buffer : bytes.getByteBuffers()) {
      digest.update(buffer);
    }
    return bytes;
  }

  private HttpResponse uploadFailed(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof EntityStreamSizeException) {
        return error(
            StatusCodes.PAYLOAD_TOO_LARGE,
            "the blob is larger than " + config.maxBlobBytes() + " bytes");
      }
    }
    LOG.debug("upload did not complete: {}", failure.toString());
    return error(StatusCodes.BAD_REQUEST, "the upload did not complete");
  }

  // ---------------------------------------------------------------- DELETE

  private Route remove(String sha256, HttpRequest request) {
    BlossomAuthValidation auth = authorize(request, BlossomVerb.DELETE, Optional.of(sha256));
    if (auth instanceof Refused refused) {
      return complete(error(StatusCodes.UNAUTHORIZED, refused.reason().message()));
    }
    PublicKey owner = ((Authorized) auth).pubkey();
    return completeWithFuture(
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return switch (store.release(sha256, owner)) {
                  case NOT_FOUND -> error(StatusCodes.NOT_FOUND, "blob not found");
                  case NOT_OWNER ->
                      error(StatusCodes.FORBIDDEN, "this pubkey did not upload the blob");
                  case RELEASED -> deleted(false);
                  case DELETED -> deleted(true);
                };
              } catch (IOException e) {
                LOG.warn("deleting a blob failed", e);
                return error(StatusCodes.INTERNAL_SERVER_ERROR, "storage failed");
              }
            },
            blocking));
  }

  private static HttpResponse deleted(boolean gone) {
    String message = gone ? "deleted" : "released; other owners keep the blob";
    return json(
        StatusCodes.OK,
        EventJson.write(
            out -> {
              out.writeStartObject();
              out.writeStringField("message", message);
              out.writeBooleanField("deleted", gone);
              out.writeEndObject();
            }));
  }

  // ---------------------------------------------------------------- GET /list/<pubkey>

  private Route list(String pubkeyHex, HttpRequest request) {
    if (!Hex.isLowerHex(pubkeyHex, PublicKey.LENGTH)) {
      return complete(
          error(StatusCodes.BAD_REQUEST, "the pubkey must be 64 lower-case hex characters"));
    }
    if (config.listAuthRequired()) {
      BlossomAuthValidation auth = authorize(request, BlossomVerb.LIST, Optional.empty());
      if (auth instanceof Refused refused) {
        return complete(error(StatusCodes.UNAUTHORIZED, refused.reason().message()));
      }
    }
    OptionalLong since = seconds(request, "since");
    OptionalLong until = seconds(request, "until");
    if (since == null || until == null) {
      return complete(error(StatusCodes.BAD_REQUEST, "since and until must be unix seconds"));
    }
    PublicKey owner = PublicKey.fromHex(pubkeyHex);
    List<BlobDescriptor> out = new ArrayList<>();
    for (StoredBlob blob :
        store.listOwnedBy(
            owner, since.orElse(0), until.orElse(Long.MAX_VALUE), config.maxListItems())) {
      out.add(descriptor(blob, blob.owners().get(owner.hex()), request));
    }
    return complete(json(StatusCodes.OK, BlobDescriptor.toJson(out)));
  }

  /** Empty when absent, null when malformed. */
  private static OptionalLong seconds(HttpRequest request, String name) {
    Optional<String> value = request.getUri().query().get(name);
    if (value.isEmpty()) {
      return OptionalLong.empty();
    }
    String text = value.get();
    if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return null;
    }
    return OptionalLong.of(Long.parseLong(text));
  }

  // ---------------------------------------------------------------- helpers

  private BlossomAuthValidation authorize(
      HttpRequest request, BlossomVerb verb, Optional<String> sha256) {
    return validator.validateHeader(header(request, "authorization"), verb, sha256, now());
  }

  private long now() {
    return config.clock().millis() / 1000;
  }

  private BlobDescriptor descriptor(StoredBlob blob, long uploaded, HttpRequest request) {
    String extension = EXTENSIONS.getOrDefault(blob.type(), ".bin");
    return new BlobDescriptor(
        baseUrl(request) + "/" + blob.sha256() + extension,
        blob.sha256(),
        blob.size(),
        blob.type(),
        uploaded);
  }

  private String baseUrl(HttpRequest request) {
    if (config.publicUrl().isPresent()) {
      return config.publicUrl().get().toString();
    }
    try {
      URI uri = new URI(request.getUri().toString());
      return uri.getScheme() + "://" + uri.getRawAuthority();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("Pekko hands routes absolute, valid request URIs", e);
    }
  }

  /** {@code <sha256>} or {@code <sha256>.<ext>} (BUD-01: the extension is optional and ignored). */
  static Optional<String> blobName(String segment) {
    int dot = segment.indexOf('.');
    String hash = dot < 0 ? segment : segment.substring(0, dot);
    return Sha256Hex.isValid(hash) ? Optional.of(hash) : Optional.empty();
  }

  private static Optional<String> header(HttpRequest request, String name) {
    return request.getHeader(name).map(HttpHeader::value);
  }

  private static ContentType contentType(String type) {
    try {
      return ContentTypes.parse(type);
    } catch (RuntimeException e) {
      return ContentTypes.APPLICATION_OCTET_STREAM; // stored from a parsed header, so unexpected
    }
  }

  private static CompletionStage<HttpResponse> refuseUnread(
      HttpRequest request, Materializer materializer, StatusCode status, String message) {
    OptionalLong length = request.entity().getContentLengthOption();
    if (length.isPresent() && length.getAsLong() <= DRAIN_LIMIT) {
      // Answer once the body is read: a response that overtakes it makes Pekko close the
      // connection, and a client that pooled it then finds it dead on its next request.
      return request
          .discardEntityBytes(materializer)
          .completionStage()
          .handle((done, failure) -> error(status, message));
    }
    // Pekko closes the connection after a response to an unread body, so it is not streamed for
    // nothing.
    return CompletableFuture.completedFuture(
        error(status, message).addHeader(RawHeader.create("Connection", "close")));
  }

  private static HttpResponse error(StatusCode status, String message) {
    String body =
        EventJson.write(
            out -> {
              out.writeStartObject();
              out.writeStringField("message", message);
              out.writeEndObject();
            });
    // BUD-01: X-Reason; the JSON message is what earlier drafts asked for.
    return json(status, body).addHeader(RawHeader.create("X-Reason", message));
  }

  private static HttpResponse json(StatusCode status, String body) {
    return cors(
        HttpResponse.create()
            .withStatus(status)
            .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body)));
  }

  private static HttpResponse cors(HttpResponse response) {
    return response.addHeaders(
        List.of(
            RawHeader.create("Access-Control-Allow-Origin", "*"),
            RawHeader.create("Access-Control-Expose-Headers", "*")));
  }

  private static HttpResponse preflight() {
    return HttpResponse.create()
        .withStatus(StatusCodes.NO_CONTENT)
        .addHeaders(
            List.of(
                RawHeader.create("Access-Control-Allow-Origin", "*"),
                RawHeader.create("Access-Control-Allow-Headers", "Authorization, *"),
                RawHeader.create("Access-Control-Allow-Methods", "GET, HEAD, PUT, DELETE"),
                RawHeader.create("Access-Control-Max-Age", "86400")));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private static void deleteQuietly(Path part) {
    try {
      Files.deleteIfExists(part);
    } catch (IOException e) {
      // open() clears incoming/ on the next start; the failure that brought us here is logged.
      LOG.warn("cannot delete an unfinished upload", e);
    }
  }
}
