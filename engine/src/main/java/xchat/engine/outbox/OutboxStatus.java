package xchat.engine.outbox;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import xchat.engine.api.MessageStatus;
import xchat.persistence.outbox.AckState;
import xchat.persistence.outbox.OutboxCopy;
import xchat.persistence.outbox.OutboxEntry;
import xchat.persistence.outbox.RelayAck;

/**
 * Where an outbox entry stands. A copy is delivered once {@code required} relays accepted it
 * (capped at the circle's relay count), and lost once that can no longer happen because too many
 * relays refused it for good. The message is SENT when every copy is delivered and FAILED as soon
 * as one copy is lost.
 */
public final class OutboxStatus {
  private OutboxStatus() {}

  public static MessageStatus of(OutboxEntry entry, Collection<String> relays, int required) {
    int needed = Math.max(1, Math.min(required, relays.size()));
    Map<String, Map<String, MessageStatus.CopyState>> copies = new TreeMap<>();
    boolean allDelivered = true;
    boolean anyAccepted = false;
    Optional<String> failure = Optional.empty();
    for (OutboxCopy copy : entry.copies()) {
      Map<String, MessageStatus.CopyState> perRelay = new LinkedHashMap<>();
      int accepted = 0;
      int open = 0;
      String lastRefusal = "";
      for (String relay : relays) {
        RelayAck ack = ackFor(copy, relay);
        MessageStatus.CopyState state = switch (ack == null ? AckState.PENDING : ack.state()) {
          case ACCEPTED -> MessageStatus.CopyState.ACCEPTED;
          case FAILED -> MessageStatus.CopyState.REFUSED;
          default -> MessageStatus.CopyState.PENDING;
        };
        perRelay.put(relay, state);
        if (state == MessageStatus.CopyState.ACCEPTED) {
          accepted++;
        } else if (state == MessageStatus.CopyState.PENDING) {
          open++;
        } else {
          lastRefusal = relay + ": " + ack.reason();
        }
      }
      copies.put(copy.recipient().hex(), perRelay);
      anyAccepted |= accepted > 0;
      if (accepted < needed) {
        allDelivered = false;
        if (accepted + open < needed && failure.isEmpty()) {
          failure = Optional.of("the copy for " + copy.recipient().hex().substring(0, 8)
              + "... was refused (" + lastRefusal + ")");
        }
      }
    }
    MessageStatus.State state = failure.isPresent() ? MessageStatus.State.FAILED
        : allDelivered ? MessageStatus.State.SENT
        : anyAccepted ? MessageStatus.State.ACCEPTED
        : MessageStatus.State.QUEUED;
    return new MessageStatus(entry.rumorId().hex(), state, copies, failure);
  }

  private static RelayAck ackFor(OutboxCopy copy, String relay) {
    for (RelayAck ack : copy.acks()) {
      if (ack.relayUrl().equals(relay)) {
        return ack;
      }
    }
    return null;
  }
}
