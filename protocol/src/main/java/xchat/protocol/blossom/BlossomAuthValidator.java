package xchat.protocol.blossom;

import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import xchat.protocol.blossom.BlossomAuthValidation.Authorized;
import xchat.protocol.blossom.BlossomAuthValidation.Reason;
import xchat.protocol.blossom.BlossomAuthValidation.Refused;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.event.EventJson;
import xchat.protocol.event.EventParseException;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.ParseLimits;
import xchat.protocol.nip40.Expiration;

/**
 * Server-side BUD-01 checks of a kind-24242 event. Cheap checks run first, in the order BUD-01
 * lists them; the signature, which costs a curve operation, runs last.
 */
public final class BlossomAuthValidator {
  /** Clocks disagree a little; an event this far ahead still counts as "in the past". */
  public static final long DEFAULT_MAX_FUTURE_SKEW_SECONDS = 60;

  /** Authorization headers are small; anything larger is refused before decoding. */
  public static final int MAX_HEADER_CHARS = 16 * 1024;

  private static final ParseLimits LIMITS = new ParseLimits(12 * 1024, 64, 8, 4 * 1024);

  private final Secp256k1 curve;
  private final long maxFutureSkewSeconds;
  private final Optional<String> serverUrl;

  /**
   * @param serverUrl this server's public URL: a {@code get} event may name it in a {@code server}
   *     tag instead of listing blobs (BUD-01 "Get Authorization")
   */
  public BlossomAuthValidator(
      Secp256k1 curve, long maxFutureSkewSeconds, Optional<String> serverUrl) {
    if (curve == null || maxFutureSkewSeconds < 0 || serverUrl == null) {
      throw new IllegalArgumentException(
          "a curve, a non-negative skew and a server URL option are required");
    }
    this.curve = curve;
    this.maxFutureSkewSeconds = maxFutureSkewSeconds;
    this.serverUrl = serverUrl.map(BlossomAuthValidator::normalizeServer);
  }

  public BlossomAuthValidator(Secp256k1 curve) {
    this(curve, DEFAULT_MAX_FUTURE_SKEW_SECONDS, Optional.empty());
  }

  /**
   * Decodes an {@code Authorization} header value and validates the event in it.
   *
   * @param blobSha256 the blob the request acts on, when known; empty for list, or for an upload
   *     whose body has not been hashed yet (then call {@link #covers} once it is)
   */
  public BlossomAuthValidation validateHeader(
      Optional<String> header, BlossomVerb verb, Optional<String> blobSha256, long nowSeconds) {
    if (header.isEmpty()) {
      return new Refused(Reason.MISSING_HEADER);
    }
    Optional<byte[]> json = decodeHeader(header.get());
    if (json.isEmpty()) {
      return new Refused(Reason.MALFORMED_HEADER);
    }
    NostrEvent event;
    try {
      event = EventJson.parse(json.get(), LIMITS);
    } catch (EventParseException e) {
      return new Refused(Reason.MALFORMED_EVENT);
    }
    return validate(event, verb, blobSha256, nowSeconds);
  }

  public BlossomAuthValidation validate(
      NostrEvent event, BlossomVerb verb, Optional<String> blobSha256, long nowSeconds) {
    if (event == null || verb == null || blobSha256 == null || nowSeconds < 0) {
      throw new IllegalArgumentException(
          "event, verb, blob option and a non-negative time are required");
    }
    if (event.kind() != BlossomAuth.KIND) {
      return new Refused(Reason.WRONG_KIND);
    }
    // Both are non-negative seconds, so the subtraction cannot overflow.
    if (event.createdAt() - nowSeconds > maxFutureSkewSeconds) {
      return new Refused(Reason.CREATED_IN_FUTURE);
    }
    OptionalLong expiresAt = Expiration.of(event);
    if (expiresAt.isEmpty()) {
      return new Refused(Reason.MISSING_EXPIRATION);
    }
    if (nowSeconds >= expiresAt.getAsLong()) {
      return new Refused(Reason.EXPIRED);
    }
    if (!event.tags().values("t").contains(verb.tagValue())) {
      return new Refused(Reason.WRONG_VERB);
    }
    boolean namesBlobs = !event.tags().values("x").isEmpty();
    if (verb.requiresBlobHash() && !namesBlobs) {
      return new Refused(Reason.MISSING_BLOB_HASH);
    }
    if (blobSha256.isPresent() && !covers(event, verb, blobSha256.get())) {
      return new Refused(Reason.BLOB_NOT_COVERED);
    }
    if (!event.hasValidSignature(curve)) {
      return new Refused(Reason.BAD_SIGNATURE);
    }
    return new Authorized(event.pubkey(), event);
  }

  /**
   * True when the event's {@code x} tags name {@code sha256}; a {@code get} event may instead name
   * this server in a {@code server} tag.
   */
  public boolean covers(NostrEvent event, BlossomVerb verb, String sha256) {
    if (event.tags().values("x").contains(sha256)) {
      return true;
    }
    if (verb == BlossomVerb.GET && serverUrl.isPresent()) {
      for (String server : event.tags().values("server")) {
        if (normalizeServer(server).equals(serverUrl.get())) {
          return true;
        }
      }
    }
    return false;
  }

  /** The raw event JSON, if {@code value} is {@code Nostr <base64>}; either base64 alphabet. */
  static Optional<byte[]> decodeHeader(String value) {
    if (value == null || value.length() > MAX_HEADER_CHARS) {
      return Optional.empty();
    }
    String trimmed = value.strip();
    int space = trimmed.indexOf(' ');
    // RFC 9110: the auth scheme is case-insensitive.
    if (space < 0 || !trimmed.substring(0, space).equalsIgnoreCase(BlossomAuth.SCHEME)) {
      return Optional.empty();
    }
    String token = trimmed.substring(space + 1).strip();
    if (token.isEmpty()) {
      return Optional.empty();
    }
    try {
      boolean urlSafe = token.indexOf('-') >= 0 || token.indexOf('_') >= 0;
      byte[] decoded = (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(token);
      return Optional.of(decoded);
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // not base64: the caller answers MALFORMED_HEADER
    }
  }

  private static String normalizeServer(String url) {
    String lower = url.strip().toLowerCase(Locale.ROOT);
    int end = lower.length();
    while (end > 0 && lower.charAt(end - 1) == '/') {
      end--;
    }
    return lower.substring(0, end);
  }
}
