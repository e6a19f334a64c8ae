package xchat.persistence.outbox;

import java.util.ArrayList;
import java.util.List;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.keys.PublicKey;

/** One gift wrap of an outgoing rumor (to one recipient, or to self) and each relay's state. */
public record OutboxCopy(PublicKey recipient, NostrEvent wrap, List<RelayAck> acks) {
  public OutboxCopy {
    if (recipient == null || wrap == null || acks == null) {
      throw new IllegalArgumentException("outbox copy needs a recipient, a wrap and its acks");
    }
    acks = List.copyOf(acks);
    if (acks.stream().map(RelayAck::relayUrl).distinct().count() != acks.size()) {
      throw new IllegalArgumentException("one ack per relay");
    }
  }

  /** True once at least one relay accepted this copy. */
  public boolean isAccepted() {
    return acks.stream().anyMatch(ack -> ack.state() == AckState.ACCEPTED);
  }

  /** True when every relay refused it for a terminal reason. */
  public boolean hasFailed() {
    return !acks.isEmpty() && acks.stream().allMatch(ack -> ack.state() == AckState.FAILED);
  }

  /** This copy with {@code ack} replacing the same relay's state, or added. */
  public OutboxCopy withAck(RelayAck ack) {
    List<RelayAck> updated = new ArrayList<>(acks.size() + 1);
    boolean replaced = false;
    for (RelayAck existing : acks) {
      if (existing.relayUrl().equals(ack.relayUrl())) {
        updated.add(ack);
        replaced = true;
      } else {
        updated.add(existing);
      }
    }
    if (!replaced) {
      updated.add(ack);
    }
    return new OutboxCopy(recipient, wrap, updated);
  }
}
