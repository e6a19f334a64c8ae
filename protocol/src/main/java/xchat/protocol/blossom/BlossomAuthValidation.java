package xchat.protocol.blossom;

import xchat.protocol.event.NostrEvent;
import xchat.protocol.keys.PublicKey;

/** A server's verdict on a BUD-01 authorization. */
public sealed interface BlossomAuthValidation {

  /** The request acts for {@code pubkey}. */
  record Authorized(PublicKey pubkey, NostrEvent event) implements BlossomAuthValidation {
    public Authorized {
      if (pubkey == null || event == null || !pubkey.equals(event.pubkey())) {
        throw new IllegalArgumentException("pubkey must be the event's author");
      }
    }
  }

  /** The request is not authorized; {@code reason} says why, for the X-Reason header. */
  record Refused(Reason reason) implements BlossomAuthValidation {
    public Refused {
      if (reason == null) {
        throw new IllegalArgumentException("reason must not be null");
      }
    }
  }

  /**
   * Why an authorization was refused, in the order the checks run (BUD-01 "Authorization events").
   */
  enum Reason {
    MISSING_HEADER("missing Authorization header"),
    MALFORMED_HEADER("Authorization must be 'Nostr <base64 event>'"),
    MALFORMED_EVENT("the authorization event is not a valid Nostr event"),
    WRONG_KIND("the authorization event must be kind 24242"),
    CREATED_IN_FUTURE("created_at must be in the past"),
    MISSING_EXPIRATION("an expiration tag is required"),
    EXPIRED("the authorization event has expired"),
    WRONG_VERB("the t tag does not authorize this action"),
    MISSING_BLOB_HASH("an x tag naming the blob is required"),
    BLOB_NOT_COVERED("no x tag matches this blob"),
    BAD_SIGNATURE("the authorization event signature is invalid");

    private final String message;

    Reason(String message) {
      this.message = message;
    }

    /** A human-readable reason, safe to send to the client. */
    public String message() {
      return message;
    }
  }

  default boolean isAuthorized() {
    return this instanceof Authorized;
  }
}
