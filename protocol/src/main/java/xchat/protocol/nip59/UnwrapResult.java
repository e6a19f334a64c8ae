package xchat.protocol.nip59;

import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.Rumor;
import xchat.protocol.keys.PublicKey;

/** What unwrapping one gift wrap gave: the rumor with its proven sender, or why it was refused. */
public sealed interface UnwrapResult {

  /** The seal proved that {@code sender} wrote {@code rumor}. */
  record Unwrapped(Rumor rumor, PublicKey sender, NostrEvent seal, NostrEvent wrap)
      implements UnwrapResult {}

  /** The wrap was refused; {@code detail} never contains decrypted text. */
  record Rejected(Reason reason, String detail) implements UnwrapResult {}

  /** Why a wrap was refused, outermost layer first. */
  enum Reason {
    NOT_A_GIFT_WRAP,
    NOT_ADDRESSED_TO_US,
    BAD_WRAP_SIGNATURE,
    WRAP_DECRYPTION_FAILED,
    MALFORMED_SEAL,
    NOT_A_SEAL,
    SEAL_HAS_TAGS,
    BAD_SEAL_SIGNATURE,
    SEAL_DECRYPTION_FAILED,
    MALFORMED_RUMOR,
    SENDER_MISMATCH
  }
}
