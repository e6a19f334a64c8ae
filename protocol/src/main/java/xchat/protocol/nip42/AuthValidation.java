package xchat.protocol.nip42;

import xchat.protocol.keys.PublicKey;

/** The relay's verdict on a NIP-42 AUTH event. */
public sealed interface AuthValidation {

  /** The connection is authenticated as {@code pubkey}. */
  record Valid(PublicKey pubkey) implements AuthValidation {
    public Valid {
      if (pubkey == null) {
        throw new IllegalArgumentException("pubkey must not be null");
      }
    }
  }

  /** The event does not authenticate anyone. */
  record Invalid(Reason reason) implements AuthValidation {
    public Invalid {
      if (reason == null) {
        throw new IllegalArgumentException("reason must not be null");
      }
    }
  }

  /** Why an AUTH event was refused, in the order the checks run. */
  enum Reason {
    WRONG_KIND,
    MISSING_CHALLENGE,
    WRONG_CHALLENGE,
    MISSING_RELAY,
    WRONG_RELAY,
    /** created_at is further in the past than the allowed skew. */
    TOO_OLD,
    /** created_at is further in the future than the allowed skew. */
    TOO_NEW,
    BAD_SIGNATURE
  }
}
