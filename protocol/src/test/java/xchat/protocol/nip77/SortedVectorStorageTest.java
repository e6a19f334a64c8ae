package xchat.protocol.nip77;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SortedVectorStorageTest {

  @Test
  void sortsByUnsignedTimestampThenUnsignedIdAndDropsDuplicates() {
    byte[] low = id(0x01);
    byte[] high = id(0x80); // negative as a Java byte, must still sort after 0x01
    List<Item> items =
        List.of(
            new Item(5, high),
            new Item(-2L, low), // 2^64 - 2: the largest finite timestamp
            new Item(5, low),
            new Item(5, high),
            new Item(0, high));
    SortedVectorStorage storage = SortedVectorStorage.of(items);
    assertEquals(4, storage.size());
    assertEquals(new Item(0, high), storage.item(0));
    assertEquals(new Item(5, low), storage.item(1));
    assertEquals(new Item(5, high), storage.item(2));
    assertEquals(new Item(-2L, low), storage.item(3));
  }

  @Test
  void lowerBoundMatchesLinearScanIncludingPrefixBounds() {
    long seed = 0x5eed_0003L;
    Random random = new Random(seed);
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      byte[] id = new byte[32];
      random.nextBytes(id);
      id[0] = (byte) random.nextInt(4); // shared first bytes make prefixes matter
      items.add(new Item(random.nextInt(20), id));
    }
    SortedVectorStorage storage = SortedVectorStorage.of(items);
    NegentropyStorage scanning = requiredMethodsOnly(storage);
    for (int trial = 0; trial < 2_000; trial++) {
      byte[] prefix = new byte[random.nextInt(33)];
      random.nextBytes(prefix);
      if (prefix.length > 0) {
        prefix[0] = (byte) random.nextInt(4);
      }
      Bound bound =
          random.nextInt(50) == 0 ? Bound.INFINITY : new Bound(random.nextInt(22), prefix);
      int from = random.nextInt(storage.size() + 1);
      int expected = from;
      while (expected < storage.size() && Bound.of(storage.item(expected)).compareTo(bound) < 0) {
        expected++;
      }
      String context = "seed " + seed + " bound " + bound + " from " + from;
      assertEquals(expected, storage.lowerBound(from, storage.size(), bound), context);
      assertEquals(expected, scanning.lowerBound(from, storage.size(), bound), context);
    }
  }

  @Test
  void defaultFingerprintOfAnyStorageMatchesPrefixSums() {
    long seed = 0x5eed_0004L;
    RandomSets.Pair pair = RandomSets.generate(seed, 1_000, 0, 0, 100);
    SortedVectorStorage storage = pair.clientStorage();
    NegentropyStorage scanning = requiredMethodsOnly(storage);
    Random random = new Random(seed);
    for (int trial = 0; trial < 100; trial++) {
      int begin = random.nextInt(storage.size() + 1);
      int end = begin + random.nextInt(storage.size() - begin + 1);
      assertEquals(
          storage.fingerprint(begin, end), scanning.fingerprint(begin, end), "seed " + seed);
    }
  }

  @Test
  void isIndependentOfInputOrder() {
    long seed = 0x5eed_0005L;
    RandomSets.Pair pair = RandomSets.generate(seed, 2_000, 0, 0, 10);
    List<Item> shuffled = new ArrayList<>(pair.client());
    Collections.shuffle(shuffled, new Random(seed));
    SortedVectorStorage a = SortedVectorStorage.of(pair.client());
    SortedVectorStorage b = SortedVectorStorage.of(shuffled);
    assertEquals(a.size(), b.size());
    for (int i = 0; i < a.size(); i++) {
      assertEquals(a.item(i), b.item(i), "seed " + seed);
      assertTrue(i == 0 || a.item(i - 1).compareTo(a.item(i)) < 0, "strictly ascending");
    }
    assertEquals(a.fingerprint(0, a.size()), b.fingerprint(0, b.size()));
  }

  @Test
  void rejectsRangesOutsideTheStorage() {
    SortedVectorStorage storage = SortedVectorStorage.of(List.of(new Item(1, id(1))));
    assertThrows(IndexOutOfBoundsException.class, () -> storage.fingerprint(0, 2));
    assertThrows(IndexOutOfBoundsException.class, () -> storage.fingerprint(1, 0));
    assertThrows(IndexOutOfBoundsException.class, () -> storage.lowerBound(-1, 1, Bound.ZERO));
    assertThrows(IndexOutOfBoundsException.class, () -> storage.copyId(1, new byte[32], 0));
  }

  @Test
  void itemsRejectBadIdsAndTheInfiniteTimestamp() {
    assertThrows(IllegalArgumentException.class, () -> new Item(1, new byte[31]));
    assertThrows(IllegalArgumentException.class, () -> new Item(Bound.INFINITY_TIMESTAMP, id(1)));
    byte[] id = id(7);
    Item item = new Item(1, id);
    id[0] = 9;
    item.id()[1] = 9;
    assertArrayEquals(id(7), item.id());
  }

  @Test
  void boundsCompareAsZeroPaddedPoints() {
    assertEquals(0, new Bound(3, new byte[0]).compareTo(new Bound(3, new byte[] {0, 0})));
    assertTrue(
        new Bound(3, new byte[] {1}).compareTo(new Bound(3, new byte[] {0, (byte) 0xff})) > 0);
    assertTrue(new Bound(4, new byte[0]).compareTo(new Bound(3, id(0xff))) > 0);
    assertTrue(Bound.INFINITY.compareTo(new Bound(-2L, id(0xff))) > 0);
    assertThrows(IllegalArgumentException.class, () -> new Bound(1, new byte[33]));
  }

  static byte[] id(int firstByte) {
    byte[] id = new byte[32];
    id[0] = (byte) firstByte;
    return id;
  }

  /** A storage with only the three required methods, to exercise the interface defaults. */
  static NegentropyStorage requiredMethodsOnly(NegentropyStorage delegate) {
    return new NegentropyStorage() {
      @Override
      public int size() {
        return delegate.size();
      }

      @Override
      public long timestamp(int index) {
        return delegate.timestamp(index);
      }

      @Override
      public void copyId(int index, byte[] dst, int offset) {
        delegate.copyId(index, dst, offset);
      }
    };
  }
}
