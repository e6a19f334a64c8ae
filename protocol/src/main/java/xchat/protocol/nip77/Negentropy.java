package xchat.protocol.nip77;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One side of a Negentropy V1 reconciliation over a {@link NegentropyStorage}.
 *
 * <p>The client calls {@link #initiate()}, sends the result ({@code NEG-OPEN}), and feeds each
 * reply to {@link #reconcile(byte[], List, List)} until it returns empty. The server answers each
 * message with {@link #reconcile(byte[])}. Only the client learns the differences: {@code have}
 * gets ids only the client holds, {@code need} ids only the server holds.
 *
 * <p>Splitting follows the reference implementation (hoytech/negentropy): a differing range is
 * split into 16 buckets of near-equal item counts, and a range of fewer than 32 items is sent as an
 * id list. With a frame size limit, once a message would grow past the limit less 200 bytes of
 * headroom, the rest of the universe is sent as one fingerprint, to be taken up in later rounds.
 * Unlike the reference, that fingerprint covers exactly the range it is labelled with (from the
 * last bound written), so the peer cannot wrongly match it.
 *
 * <p>A deferred remainder can span ranges the client had already settled, which it then settles
 * again; the client therefore remembers what it reported and reports each id once per session.
 *
 * <p>Not thread-safe: one instance per session. The storage may be shared.
 */
public final class Negentropy {
  public static final long MIN_FRAME_SIZE_LIMIT = 4096;

  private static final int BUCKETS = 16;
  private static final int FRAME_HEADROOM = 200;
  // Worst case of bound (10-byte timestamp, length, 32-byte prefix), mode and a 5-byte count.
  private static final int MAX_ID_LIST_HEADER = 10 + 1 + Item.ID_SIZE + 1 + 5;

  private final NegentropyStorage storage;
  private final long frameSizeLimit;
  private final byte[] previousId = new byte[Item.ID_SIZE];
  private final byte[] currentId = new byte[Item.ID_SIZE];
  private final Set<IdKey> reported = new HashSet<>();
  private boolean initiator;

  public Negentropy(NegentropyStorage storage) {
    this(storage, 0);
  }

  /**
   * @param frameSizeLimit largest message in bytes this side will emit; 0 for no limit, else at
   *     least 4096
   */
  public Negentropy(NegentropyStorage storage, long frameSizeLimit) {
    this.storage = Objects.requireNonNull(storage, "storage");
    if (frameSizeLimit != 0 && frameSizeLimit < MIN_FRAME_SIZE_LIMIT) {
      throw new IllegalArgumentException(
          "frameSizeLimit must be 0 or at least "
              + MIN_FRAME_SIZE_LIMIT
              + ", got "
              + frameSizeLimit);
    }
    this.frameSizeLimit = frameSizeLimit;
  }

  /** The client's first message, covering the whole universe. Makes this side the client. */
  public byte[] initiate() {
    if (initiator) {
      throw new IllegalStateException("already initiated");
    }
    initiator = true;
    MessageWriter out = new MessageWriter();
    splitRange(out, 0, storage.size(), Bound.INFINITY);
    return out.toByteArray();
  }

  /**
   * Server side: the reply to a client message. A message of another protocol version gets the
   * single byte 0x61, so the client can downgrade (NIP-77 appendix, "Message").
   */
  public byte[] reconcile(byte[] query) {
    if (initiator) {
      throw new IllegalStateException("the client must pass have/need lists");
    }
    if (MessageReader.readVersion(query) != NegentropyMessage.PROTOCOL_VERSION) {
      return new byte[] {(byte) NegentropyMessage.PROTOCOL_VERSION};
    }
    return respond(NegentropyMessage.decode(query), null, null).toByteArray();
  }

  /**
   * Client side: processes a server reply, appends what it learned to {@code have} and {@code need}
   * (fresh 32-byte arrays), and returns the next message, or empty when reconciliation is complete.
   */
  public Optional<byte[]> reconcile(byte[] reply, List<byte[]> have, List<byte[]> need) {
    Objects.requireNonNull(have, "have");
    Objects.requireNonNull(need, "need");
    if (!initiator) {
      throw new IllegalStateException("only the client learns have/need; call initiate() first");
    }
    MessageWriter out = respond(NegentropyMessage.decode(reply), have, need);
    return out.size() == 1 ? Optional.empty() : Optional.of(out.toByteArray());
  }

  public boolean isInitiator() {
    return initiator;
  }

  private MessageWriter respond(NegentropyMessage message, List<byte[]> have, List<byte[]> need) {
    MessageWriter out = new MessageWriter();
    int size = storage.size();
    Bound previousBound = Bound.ZERO;
    int previousIndex = 0;
    // Skips are coalesced: a pending skip is written only when a later range needs output.
    boolean skipPending = false;

    for (NegentropyMessage.Range range : message.ranges()) {
      Bound bound = range.upperBound();
      int lower = previousIndex;
      int upper = storage.lowerBound(lower, size, bound);
      out.mark();
      boolean skipPendingAtMark = skipPending;

      if (range instanceof NegentropyMessage.SkipRange) {
        skipPending = true;
      } else if (range instanceof NegentropyMessage.FingerprintRange theirs) {
        if (storage.fingerprint(lower, upper).equals(theirs.fingerprint())) {
          skipPending = true;
        } else {
          skipPending = flushSkip(out, skipPending, previousBound);
          splitRange(out, lower, upper, bound);
        }
      } else {
        NegentropyMessage.IdListRange theirs = (NegentropyMessage.IdListRange) range;
        if (initiator) {
          diff(theirs, lower, upper, have, need);
          skipPending = true;
        } else {
          skipPending = flushSkip(out, skipPending, previousBound);
          int end = writeIdList(out, lower, upper, bound);
          if (end < upper) {
            if (end == lower) {
              overflow(out, skipPendingAtMark, previousBound, lower);
            } else {
              writeRemainder(out, end); // the id list ends at a bound just before item `end`
            }
            return out;
          }
        }
      }

      if (exceedsFrame(out.size())) {
        overflow(out, skipPendingAtMark, previousBound, lower);
        return out;
      }
      previousIndex = upper;
      previousBound = bound;
    }
    return out;
  }

  /** Drops this range's output and defers everything from previousBound on to later rounds. */
  private void overflow(MessageWriter out, boolean skipPending, Bound previousBound, int lower) {
    out.rewind();
    flushSkip(out, skipPending, previousBound);
    writeRemainder(out, lower);
  }

  private void writeRemainder(MessageWriter out, int from) {
    out.writeFingerprint(Bound.INFINITY, storage.fingerprint(from, storage.size()));
  }

  private static boolean flushSkip(MessageWriter out, boolean skipPending, Bound previousBound) {
    if (skipPending) {
      out.writeSkip(previousBound);
    }
    return false;
  }

  /**
   * Writes the ids of [lower, upper) that fit the frame; returns the index after the last one
   * written.
   */
  private int writeIdList(MessageWriter out, int lower, int upper, Bound bound) {
    int count = upper - lower;
    if (frameSizeLimit != 0) {
      long budget = frameSizeLimit - FRAME_HEADROOM - out.size() - MAX_ID_LIST_HEADER;
      int fit = budget <= 0 ? 0 : (int) Math.min(count, budget / Item.ID_SIZE);
      if (fit < count) {
        if (fit == 0) {
          return lower;
        }
        count = fit;
        bound = minimalBound(lower + fit - 1, lower + fit);
      }
    }
    out.writeIdListHeader(bound, count);
    for (int i = lower; i < lower + count; i++) {
      out.writeId(storage, i);
    }
    return lower + count;
  }

  private void splitRange(MessageWriter out, int lower, int upper, Bound upperBound) {
    int count = upper - lower;
    if (count < 2 * BUCKETS) {
      out.writeIdListHeader(upperBound, count);
      for (int i = lower; i < upper; i++) {
        out.writeId(storage, i);
      }
      return;
    }
    int perBucket = count / BUCKETS;
    int withExtra = count % BUCKETS;
    int current = lower;
    for (int bucket = 0; bucket < BUCKETS; bucket++) {
      int bucketSize = perBucket + (bucket < withExtra ? 1 : 0);
      Fingerprint fingerprint = storage.fingerprint(current, current + bucketSize);
      current += bucketSize;
      Bound next = current == upper ? upperBound : minimalBound(current - 1, current);
      out.writeFingerprint(next, fingerprint);
    }
  }

  /** The shortest bound above item {@code previous} and not above item {@code current}. */
  private Bound minimalBound(int previous, int current) {
    long timestamp = storage.timestamp(current);
    if (timestamp != storage.timestamp(previous)) {
      return Bound.of(timestamp);
    }
    storage.copyId(previous, previousId, 0);
    storage.copyId(current, currentId, 0);
    int shared = Arrays.mismatch(previousId, currentId);
    int length = shared < 0 ? Item.ID_SIZE : shared + 1;
    return new Bound(timestamp, Arrays.copyOf(currentId, length));
  }

  private void diff(
      NegentropyMessage.IdListRange theirs,
      int lower,
      int upper,
      List<byte[]> have,
      List<byte[]> need) {
    byte[] packed = theirs.packedIds();
    int theirCount = theirs.count();
    Set<IdKey> theirIds = new HashSet<>(Math.max(16, theirCount * 2));
    for (int i = 0; i < theirCount; i++) {
      theirIds.add(new IdKey(packed, i * Item.ID_SIZE));
    }
    byte[] ours = new byte[Item.ID_SIZE];
    for (int i = lower; i < upper; i++) {
      storage.copyId(i, ours, 0);
      if (!theirIds.remove(new IdKey(ours, 0))) {
        report(ours, have);
      }
    }
    // In their order, once each: a repeated id in a hostile list is reported once.
    for (int i = 0; i < theirCount; i++) {
      IdKey key = new IdKey(packed, i * Item.ID_SIZE);
      if (theirIds.remove(key)) {
        report(key.copy(), need);
      }
    }
  }

  private void report(byte[] id, List<byte[]> to) {
    byte[] kept = id.clone();
    if (reported.add(new IdKey(kept, 0))) {
      to.add(id.clone());
    }
  }

  private boolean exceedsFrame(int size) {
    return frameSizeLimit != 0 && size > frameSizeLimit - FRAME_HEADROOM;
  }
}
