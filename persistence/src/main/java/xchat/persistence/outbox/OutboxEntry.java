package xchat.persistence.outbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import xchat.persistence.CircleId;
import xchat.protocol.event.EventId;
import xchat.protocol.keys.PublicKey;

/**
 * A durable pending send: the rumor id (kept for retries, which reuse it) and every copy, each
 * recipient's and the sender's own.
 */
public record OutboxEntry(CircleId circle, EventId rumorId, long createdAt, List<OutboxCopy> copies) {
  public OutboxEntry {
    if (circle == null || rumorId == null || copies == null || createdAt < 0) {
      throw new IllegalArgumentException("outbox entry needs a circle, a rumor id and copies");
    }
    copies = List.copyOf(copies);
    if (copies.stream().map(OutboxCopy::recipient).distinct().count() != copies.size()) {
      throw new IllegalArgumentException("one copy per recipient");
    }
  }

  /** Every copy was accepted by at least one relay: the send is done. */
  public boolean isComplete() {
    return !copies.isEmpty() && copies.stream().allMatch(OutboxCopy::isAccepted);
  }

  public Optional<OutboxCopy> copyFor(PublicKey recipient) {
    return copies.stream().filter(copy -> copy.recipient().equals(recipient)).findFirst();
  }

  /** This entry with {@code ack} applied to the copy for {@code recipient}, if there is one. */
  public Optional<OutboxEntry> withAck(PublicKey recipient, RelayAck ack) {
    List<OutboxCopy> updated = new ArrayList<>(copies.size());
    boolean found = false;
    for (OutboxCopy copy : copies) {
      if (copy.recipient().equals(recipient)) {
        updated.add(copy.withAck(ack));
        found = true;
      } else {
        updated.add(copy);
      }
    }
    return found ? Optional.of(new OutboxEntry(circle, rumorId, createdAt, updated)) : Optional.empty();
  }
}
