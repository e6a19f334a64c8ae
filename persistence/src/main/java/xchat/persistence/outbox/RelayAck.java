package xchat.persistence.outbox;

/**
 * One relay's acknowledgement state for one copy.
 *
 * @param reason the relay's OK message for FAILED (NIP-01 machine-readable prefix included); empty
 *     otherwise
 */
public record RelayAck(String relayUrl, AckState state, String reason, long updatedAt) {
  public RelayAck {
    if (relayUrl == null || relayUrl.isEmpty() || state == null || reason == null || updatedAt < 0) {
      throw new IllegalArgumentException("relay ack needs a relay url, a state, a reason and a time");
    }
  }

  public static RelayAck pending(String relayUrl, long now) {
    return new RelayAck(relayUrl, AckState.PENDING, "", now);
  }
}
