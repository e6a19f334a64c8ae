package xchat.protocol.nip77;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * An immutable in-memory storage. Built from items in any order, it sorts them and drops exact
 * duplicates. Fingerprints are O(1): it keeps prefix sums of the ids mod 2^256, four 64-bit limbs
 * per entry, so a range's sum is one 256-bit subtraction. Thread-safe once built.
 *
 * <p>An id is expected to appear with one timestamp only, as in Nostr where the id commits to
 * {@code created_at}; the same id under two timestamps counts as two items.
 */
public final class SortedVectorStorage implements NegentropyStorage {
  private final long[] timestamps;
  private final byte[] ids;
  private final long[] prefixSums;

  private SortedVectorStorage(List<Item> sorted) {
    int n = sorted.size();
    timestamps = new long[n];
    ids = new byte[n * Item.ID_SIZE];
    prefixSums = new long[4 * (n + 1)];
    for (int i = 0; i < n; i++) {
      Item item = sorted.get(i);
      timestamps[i] = item.timestamp();
      System.arraycopy(item.id(), 0, ids, i * Item.ID_SIZE, Item.ID_SIZE);
      Limbs.addId(prefixSums, 4 * (i + 1), prefixSums, 4 * i, ids, i * Item.ID_SIZE);
    }
  }

  public static SortedVectorStorage of(Collection<Item> items) {
    Objects.requireNonNull(items, "items");
    List<Item> sorted = new ArrayList<>(items);
    sorted.sort(null);
    List<Item> unique = new ArrayList<>(sorted.size());
    for (Item item : sorted) {
      if (unique.isEmpty() || !unique.get(unique.size() - 1).equals(item)) {
        unique.add(item);
      }
    }
    if (unique.size() > Integer.MAX_VALUE / Item.ID_SIZE) {
      throw new IllegalArgumentException("too many items for one vector: " + unique.size());
    }
    return new SortedVectorStorage(unique);
  }

  public static SortedVectorStorage empty() {
    return new SortedVectorStorage(List.of());
  }

  @Override
  public int size() {
    return timestamps.length;
  }

  @Override
  public long timestamp(int index) {
    return timestamps[index];
  }

  @Override
  public void copyId(int index, byte[] dst, int offset) {
    Objects.checkIndex(index, timestamps.length);
    System.arraycopy(ids, index * Item.ID_SIZE, dst, offset, Item.ID_SIZE);
  }

  @Override
  public int lowerBound(int from, int to, Bound bound) {
    NegentropyStorage.checkRange(from, to, size());
    // Gallop from `from` first: the reconciler asks for bounds in ascending order, usually a
    // short way ahead, so this touches few cache lines of a large vector.
    int lo = from;
    int hi = to;
    int step = 1;
    while (step <= hi - lo) {
      int probe = lo + step - 1;
      if (bound.compareToItem(timestamps[probe], ids, probe * Item.ID_SIZE) <= 0) {
        hi = probe + 1;
        break;
      }
      lo = probe + 1;
      step <<= 1;
    }
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (bound.compareToItem(timestamps[mid], ids, mid * Item.ID_SIZE) > 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  @Override
  public Fingerprint fingerprint(int begin, int end) {
    NegentropyStorage.checkRange(begin, end, size());
    long[] sum = new long[4];
    Limbs.subtract(sum, prefixSums, 4 * end, prefixSums, 4 * begin);
    return Fingerprint.of(sum[0], sum[1], sum[2], sum[3], end - begin);
  }
}
