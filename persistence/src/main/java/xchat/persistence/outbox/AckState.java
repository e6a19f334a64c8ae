package xchat.persistence.outbox;

/** A relay's answer to one copy of an outgoing message (NIP-01 OK). */
public enum AckState {
  PENDING,
  ACCEPTED,
  /** Refused for a terminal reason (the reason is kept); a transient failure stays PENDING. */
  FAILED
}
