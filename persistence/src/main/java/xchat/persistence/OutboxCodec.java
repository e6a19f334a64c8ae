package xchat.persistence;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import xchat.persistence.outbox.AckState;
import xchat.persistence.outbox.OutboxCopy;
import xchat.persistence.outbox.OutboxEntry;
import xchat.persistence.outbox.RelayAck;
import xchat.persistence.record.OutboxCopyRecord;
import xchat.persistence.record.OutboxRecord;
import xchat.persistence.record.RelayAckRecord;
import xchat.protocol.event.EventId;
import xchat.protocol.event.EventJson;
import xchat.protocol.event.EventParseException;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.keys.PublicKey;

/** OutboxEntry ⇄ OutboxRecord. */
final class OutboxCodec {
  private OutboxCodec() {}

  static OutboxRecord encode(OutboxEntry entry) {
    OutboxRecord.Builder record =
        OutboxRecord.newBuilder()
            .setVersion(RecordType.CURRENT_VERSION)
            .setRumorId(ByteString.copyFrom(entry.rumorId().bytes()))
            .setCreatedAt(entry.createdAt());
    for (OutboxCopy copy : entry.copies()) {
      OutboxCopyRecord.Builder copyRecord =
          OutboxCopyRecord.newBuilder()
              .setVersion(RecordType.CURRENT_VERSION)
              .setRecipient(ByteString.copyFrom(copy.recipient().bytes()))
              .setWrapJson(EventJson.toJson(copy.wrap()));
      for (RelayAck ack : copy.acks()) {
        copyRecord.addAcks(
            RelayAckRecord.newBuilder()
                .setVersion(RecordType.CURRENT_VERSION)
                .setRelayUrl(ack.relayUrl())
                .setState(encode(ack.state()))
                .setReason(ack.reason())
                .setUpdatedAt(ack.updatedAt()));
      }
      record.addCopies(copyRecord);
    }
    return record.build();
  }

  static OutboxEntry decode(CircleId circle, OutboxRecord record) {
    try {
      List<OutboxCopy> copies = new ArrayList<>(record.getCopiesCount());
      for (OutboxCopyRecord copy : record.getCopiesList()) {
        List<RelayAck> acks = new ArrayList<>(copy.getAcksCount());
        for (RelayAckRecord ack : copy.getAcksList()) {
          acks.add(new RelayAck(ack.getRelayUrl(), decode(ack.getState()), ack.getReason(), ack.getUpdatedAt()));
        }
        NostrEvent wrap = EventJson.parse(copy.getWrapJson());
        copies.add(new OutboxCopy(new PublicKey(copy.getRecipient().toByteArray()), wrap, acks));
      }
      return new OutboxEntry(
          circle, new EventId(record.getRumorId().toByteArray()), record.getCreatedAt(), copies);
    } catch (EventParseException | IllegalArgumentException e) {
      throw new StoreCorruptedException("an authenticated outbox record does not decode: " + e.getMessage());
    }
  }

  private static xchat.persistence.record.AckState encode(AckState state) {
    return switch (state) {
      case PENDING -> xchat.persistence.record.AckState.ACK_STATE_PENDING;
      case ACCEPTED -> xchat.persistence.record.AckState.ACK_STATE_ACCEPTED;
      case FAILED -> xchat.persistence.record.AckState.ACK_STATE_FAILED;
    };
  }

  private static AckState decode(xchat.persistence.record.AckState state) {
    return switch (state) {
      case ACK_STATE_PENDING -> AckState.PENDING;
      case ACK_STATE_ACCEPTED -> AckState.ACCEPTED;
      case ACK_STATE_FAILED -> AckState.FAILED;
      default -> throw new IllegalArgumentException("unknown ack state " + state);
    };
  }
}
