package xchat.protocol.nip77;

/**
 * A read-only, sorted view of the items one side reconciles: ascending by (timestamp unsigned, id
 * bytes unsigned), without duplicates, addressed by index {@code 0..size()-1}. It must not change
 * while a reconciliation uses it.
 *
 * <p>Only {@link #size}, {@link #timestamp} and {@link #copyId} are required. The defaults of
 * {@link #lowerBound(int, int, Bound)} (binary search) and {@link #fingerprint} (a scan) are
 * correct for any implementation; override them when the backing store can do better, as {@link
 * SortedVectorStorage} does with prefix sums.
 */
public interface NegentropyStorage {

  int size();

  /** The timestamp of item {@code index}. */
  long timestamp(int index);

  /** Copies the 32-byte id of item {@code index} into {@code dst[offset..offset+32)}. */
  void copyId(int index, byte[] dst, int offset);

  /** The id of item {@code index}, as a fresh array. */
  default byte[] id(int index) {
    byte[] id = new byte[Item.ID_SIZE];
    copyId(index, id, 0);
    return id;
  }

  default Item item(int index) {
    return new Item(timestamp(index), id(index));
  }

  /** The first index in {@code [from, to)} whose item is not below {@code bound}, or {@code to}. */
  default int lowerBound(int from, int to, Bound bound) {
    checkRange(from, to, size());
    byte[] id = new byte[Item.ID_SIZE];
    int lo = from;
    int hi = to;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      copyId(mid, id, 0);
      if (bound.compareToItem(timestamp(mid), id, 0) > 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The first index whose item is not below {@code bound}, or {@code size()}. */
  default int lowerBound(Bound bound) {
    return lowerBound(0, size(), bound);
  }

  /** The fingerprint of items {@code [begin, end)}. */
  default Fingerprint fingerprint(int begin, int end) {
    checkRange(begin, end, size());
    FingerprintAccumulator accumulator = new FingerprintAccumulator();
    byte[] id = new byte[Item.ID_SIZE];
    for (int i = begin; i < end; i++) {
      copyId(i, id, 0);
      accumulator.add(id, 0);
    }
    return accumulator.fingerprint();
  }

  static void checkRange(int begin, int end, int size) {
    if (begin < 0 || begin > end || end > size) {
      throw new IndexOutOfBoundsException(
          "range [" + begin + ", " + end + ") outside [0, " + size + ")");
    }
  }
}
