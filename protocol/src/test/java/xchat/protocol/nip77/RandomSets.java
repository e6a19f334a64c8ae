package xchat.protocol.nip77;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import xchat.protocol.hex.Hex;

/**
 * Seeded pairs of item sets, generated the way the reference fuzzer (hoytech/negentropy
 * test/fuzz.pl) does: each item lands on the client only, the server only, or both.
 */
public final class RandomSets {
  public static final long BASE_TIMESTAMP = 1_677_970_534L;

  private RandomSets() {}

  /** One pair of sets and the differences a correct reconciliation must report. */
  public record Pair(List<Item> client, List<Item> server, Set<String> have, Set<String> need) {
    public SortedVectorStorage clientStorage() {
      return SortedVectorStorage.of(client);
    }

    public SortedVectorStorage serverStorage() {
      return SortedVectorStorage.of(server);
    }
  }

  /**
   * @param items how many distinct items to draw
   * @param clientOnly probability an item is on the client only
   * @param serverOnly probability an item is on the server only
   * @param timestampSpread timestamps are drawn from {@code [BASE, BASE + spread)}
   */
  public static Pair generate(
      long seed, int items, double clientOnly, double serverOnly, int timestampSpread) {
    Random random = new Random(seed);
    List<Item> client = new ArrayList<>();
    List<Item> server = new ArrayList<>();
    Set<String> have = new HashSet<>();
    Set<String> need = new HashSet<>();
    for (int i = 0; i < items; i++) {
      byte[] id = new byte[Item.ID_SIZE];
      random.nextBytes(id);
      Item item = new Item(BASE_TIMESTAMP + random.nextInt(Math.max(1, timestampSpread)), id);
      double draw = random.nextDouble();
      if (draw < clientOnly) {
        client.add(item);
        have.add(Hex.encode(id));
      } else if (draw < clientOnly + serverOnly) {
        server.add(item);
        need.add(Hex.encode(id));
      } else {
        client.add(item);
        server.add(item);
      }
    }
    return new Pair(client, server, have, need);
  }

  /** Items differ by {@code fraction}: half of it client-only, half server-only; spread = items. */
  public static Pair differingBy(long seed, int items, double fraction) {
    return generate(seed, items, fraction / 2, fraction / 2, items);
  }
}
