package xchat.persistence;

import java.util.List;
import xchat.persistence.log.RumorRef;
import xchat.persistence.log.StoredMessage;

/**
 * What one commit did. Everything listed here became durable together (per the sync mode).
 *
 * @param appended messages newly stored, in the order they were appended, with their seq
 * @param duplicates rumors that were already stored; nothing was written for them
 * @param rejectedTombstoned late copies of erased rumors; refused (deletion wins)
 * @param erased rumors whose stored plaintext this commit erased
 * @param unknownOutbox ack updates for an outbox entry or copy that does not exist (already
 *     removed): not applied
 */
public record CommitResult(
    List<StoredMessage> appended,
    List<RumorRef> duplicates,
    List<RumorRef> rejectedTombstoned,
    List<RumorRef> erased,
    List<RumorRef> unknownOutbox) {

  public CommitResult {
    appended = List.copyOf(appended);
    duplicates = List.copyOf(duplicates);
    rejectedTombstoned = List.copyOf(rejectedTombstoned);
    erased = List.copyOf(erased);
    unknownOutbox = List.copyOf(unknownOutbox);
  }

  static final CommitResult EMPTY = new CommitResult(List.of(), List.of(), List.of(), List.of(), List.of());
}
