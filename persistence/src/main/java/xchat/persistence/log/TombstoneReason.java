package xchat.persistence.log;

/** Why a rumor was erased. */
public enum TombstoneReason {
  /** A NIP-09 deletion (gift-wrapped kind 5) from the author. */
  DELETED,
  /** Its NIP-40 expiration passed. */
  EXPIRED
}
