package xchat.engine.ingest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import xchat.persistence.EncryptedStore;
import xchat.protocol.event.EventId;
import xchat.protocol.keys.PublicKey;

/**
 * Deletions (gift-wrapped kind 5) whose target has not arrived yet: target id to the keys that
 * asked. NIP-09 lets only the author delete, and before the target arrives its author is
 * unknown, so nothing is tombstoned until then; the target is refused on arrival only if its
 * author is among them. Kept as one sealed device-state document per circle ({@link
 * #documentKey}), written in the batch that changes it.
 */
public final class PendingDeletions {
  /** Beyond this, the lowest target ids are forgotten: a bound against deletion spam. */
  static final int MAX_TARGETS = 10_000;

  private final TreeMap<String, List<String>> byTarget;

  private PendingDeletions(SortedMap<String, List<String>> byTarget) {
    this.byTarget = new TreeMap<>(byTarget);
  }

  public static String documentKey(String circle) {
    return "xchat/pending-deletions/" + circle;
  }

  static PendingDeletions load(EncryptedStore store, String circle) {
    Optional<byte[]> doc = store.deviceState(documentKey(circle));
    return new PendingDeletions(doc.isEmpty() ? new TreeMap<>()
        : ConversationIndex.decode(doc.get(), "the pending deletions"));
  }

  byte[] encode() {
    return ConversationIndex.encode(byTarget);
  }

  boolean isEmpty() {
    return byTarget.isEmpty();
  }

  /**
   * One batch's changes: reads see the committed state until the first change, which copies it,
   * so a batch that fails leaves the committed state as it was.
   */
  static final class Draft {
    private final PendingDeletions base;
    private PendingDeletions changed;

    Draft(PendingDeletions base) {
      this.base = base;
    }

    void add(EventId target, PublicKey deleter) {
      List<String> current = current().byTarget.getOrDefault(target.hex(), List.of());
      if (current.contains(deleter.hex())) {
        return;
      }
      List<String> next = new ArrayList<>(current);
      next.add(deleter.hex());
      writable().byTarget.put(target.hex(), List.copyOf(next));
      while (changed.byTarget.size() > MAX_TARGETS) {
        changed.byTarget.pollFirstEntry();
      }
    }

    /** Forgets what waited for {@code target}; true if {@code author} was among those who asked. */
    boolean takeFor(EventId target, PublicKey author) {
      List<String> deleters = current().byTarget.get(target.hex());
      if (deleters == null) {
        return false;
      }
      writable().byTarget.remove(target.hex());
      return deleters.contains(author.hex());
    }

    boolean changed() {
      return changed != null;
    }

    PendingDeletions result() {
      return current();
    }

    private PendingDeletions current() {
      return changed != null ? changed : base;
    }

    private PendingDeletions writable() {
      if (changed == null) {
        changed = new PendingDeletions(base.byTarget);
      }
      return changed;
    }
  }
}
