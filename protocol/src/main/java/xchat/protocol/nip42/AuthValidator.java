package xchat.protocol.nip42;

import java.util.Optional;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.nip42.AuthValidation.Invalid;
import xchat.protocol.nip42.AuthValidation.Reason;
import xchat.protocol.nip42.AuthValidation.Valid;

/**
 * Relay-side NIP-42 verification for one relay URL. Cheap checks run first; the signature, which
 * costs a curve operation, runs last.
 */
public final class AuthValidator {
  /** NIP-42: created_at must be "within ~10 minutes" of the current time. */
  public static final long DEFAULT_MAX_SKEW_SECONDS = 600;

  private final String relayUrl;
  private final long maxSkewSeconds;
  private final Secp256k1 curve;

  public AuthValidator(String relayUrl, Secp256k1 curve) {
    this(relayUrl, DEFAULT_MAX_SKEW_SECONDS, curve);
  }

  /** Throws {@link IllegalArgumentException} unless {@code relayUrl} is a ws:// or wss:// URL. */
  public AuthValidator(String relayUrl, long maxSkewSeconds, Secp256k1 curve) {
    this.relayUrl = RelayUrls.normalize(relayUrl)
        .orElseThrow(() -> new IllegalArgumentException("relay URL must be ws:// or wss://"));
    if (maxSkewSeconds < 0 || curve == null) {
      throw new IllegalArgumentException("skew must not be negative and a curve is required");
    }
    this.maxSkewSeconds = maxSkewSeconds;
    this.curve = curve;
  }

  /** The normal form this validator compares relay tags against. */
  public String relayUrl() {
    return relayUrl;
  }

  /**
   * Checks {@code event} against the challenge this connection was sent. The first relay and
   * challenge tags are the ones compared.
   */
  public AuthValidation validate(NostrEvent event, String challenge, long nowSeconds) {
    if (challenge == null || challenge.isEmpty() || nowSeconds < 0) {
      throw new IllegalArgumentException("needs a non-empty challenge and a non-negative time");
    }
    if (event.kind() != AuthEvent.KIND) {
      return new Invalid(Reason.WRONG_KIND);
    }
    Optional<String> sentChallenge = event.tags().first("challenge");
    if (sentChallenge.isEmpty()) {
      return new Invalid(Reason.MISSING_CHALLENGE);
    }
    if (!sentChallenge.get().equals(challenge)) {
      return new Invalid(Reason.WRONG_CHALLENGE);
    }
    Optional<String> relay = event.tags().first("relay");
    if (relay.isEmpty()) {
      return new Invalid(Reason.MISSING_RELAY);
    }
    if (!RelayUrls.normalize(relay.get()).map(relayUrl::equals).orElse(false)) {
      return new Invalid(Reason.WRONG_RELAY);
    }
    // Subtracting in this order cannot overflow: both are non-negative seconds.
    long age = nowSeconds - event.createdAt();
    if (age > maxSkewSeconds) {
      return new Invalid(Reason.TOO_OLD);
    }
    if (-age > maxSkewSeconds) {
      return new Invalid(Reason.TOO_NEW);
    }
    if (!event.hasValidSignature(curve)) {
      return new Invalid(Reason.BAD_SIGNATURE);
    }
    return new Valid(event.pubkey());
  }
}
