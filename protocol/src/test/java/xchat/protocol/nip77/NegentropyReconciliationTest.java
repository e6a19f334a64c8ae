package xchat.protocol.nip77;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import xchat.protocol.hex.Hex;
import xchat.protocol.nip77.NegentropyMessage.FingerprintRange;
import xchat.protocol.nip77.NegentropyMessage.IdListRange;
import xchat.protocol.nip77.NegentropyMessage.Range;

/**
 * Reconciles seeded random set pairs and checks that the client learns exactly the set differences,
 * that no message exceeds the frame limit, and that every fingerprint and id list on the wire
 * describes exactly the sender's items in its range.
 */
class NegentropyReconciliationTest {
  private static final int MAX_ROUNDS = 10_000;

  @ParameterizedTest(name = "frame limit {0}")
  @ValueSource(longs = {0, 4096, 60_000})
  void emptyAndSingleItemSets(long frameLimit) {
    for (long seed = 1; seed <= 4; seed++) {
      check(RandomSets.generate(seed, 0, 0, 0, 1), frameLimit, seed, "both empty");
      check(RandomSets.generate(seed, 1, 1, 0, 1), frameLimit, seed, "one item, client only");
      check(RandomSets.generate(seed, 1, 0, 1, 1), frameLimit, seed, "one item, server only");
      check(RandomSets.generate(seed, 1, 0, 0, 1), frameLimit, seed, "one shared item");
    }
  }

  @ParameterizedTest(name = "frame limit {0}")
  @ValueSource(longs = {0, 4096, 60_000})
  void smallSetsWithRandomOverlap(long frameLimit) {
    Random seeds = new Random(0x5eed_0301L + frameLimit);
    for (int trial = 0; trial < 300; trial++) {
      long seed = seeds.nextLong();
      Random random = new Random(seed);
      int items = 2 + random.nextInt(400);
      double clientOnly = random.nextDouble() * 0.5;
      double serverOnly = random.nextDouble() * 0.5;
      int spread = 1 + random.nextInt(items * 2);
      check(
          RandomSets.generate(seed, items, clientOnly, serverOnly, spread),
          frameLimit,
          seed,
          "small");
    }
  }

  @ParameterizedTest(name = "frame limit {0}")
  @ValueSource(longs = {0, 4096, 60_000})
  void tenThousandItems(long frameLimit) {
    long seed = 0x5eed_0302L + frameLimit;
    check(RandomSets.generate(seed, 10_000, 0, 0, 10_000), frameLimit, seed, "identical");
    check(
        RandomSets.generate(seed + 1, 10_000, 0.5, 0.5, 10_000), frameLimit, seed + 1, "disjoint");
    check(
        RandomSets.generate(seed + 2, 10_000, 1, 0, 10_000), frameLimit, seed + 2, "server empty");
    check(
        RandomSets.generate(seed + 3, 10_000, 0, 1, 10_000), frameLimit, seed + 3, "client empty");
    check(RandomSets.differingBy(seed + 4, 10_000, 0.01), frameLimit, seed + 4, "1% differ");
    check(RandomSets.differingBy(seed + 5, 10_000, 0.2), frameLimit, seed + 5, "20% differ");
    check(
        RandomSets.generate(seed + 6, 10_000, 0.02, 0, 10_000),
        frameLimit,
        seed + 6,
        "client ahead");
  }

  @ParameterizedTest(name = "frame limit {0}")
  @ValueSource(longs = {0, 4096, 60_000})
  void heavilyDuplicatedTimestamps(long frameLimit) {
    long seed = 0x5eed_0303L + frameLimit;
    check(RandomSets.generate(seed, 5_000, 0.05, 0.05, 1), frameLimit, seed, "one timestamp");
    check(
        RandomSets.generate(seed + 1, 5_000, 0.3, 0.3, 3),
        frameLimit,
        seed + 1,
        "three timestamps");
    check(
        RandomSets.generate(seed + 2, 5_000, 0.5, 0.5, 1),
        frameLimit,
        seed + 2,
        "one timestamp, disjoint");
  }

  @ParameterizedTest(name = "frame limit {0}")
  @ValueSource(longs = {0, 60_000})
  void inMemorySessionReportsTheSameDifferences(long frameLimit) {
    long seed = 0x5eed_0304L + frameLimit;
    RandomSets.Pair pair = RandomSets.differingBy(seed, 20_000, 0.05);
    NegentropySession.Result result =
        NegentropySession.reconcileInMemory(pair.clientStorage(), pair.serverStorage(), frameLimit);
    String context = "seed " + seed;
    assertEquals(pair.have(), hexSet(result.have(), context), context);
    assertEquals(pair.need(), hexSet(result.need(), context), context);
    assertEquals(pair.have().size(), result.stats().haveCount(), context);
    assertEquals(pair.need().size(), result.stats().needCount(), context);
    assertTrue(result.stats().rounds() >= 1, context);
  }

  @ParameterizedTest(name = "frame limit {0}")
  @ValueSource(longs = {60_000})
  void hundredThousandItemsDifferingByOnePercent(long frameLimit) {
    long seed = 0x5eed_0305L;
    RandomSets.Pair pair = RandomSets.differingBy(seed, 100_000, 0.01);
    SortedVectorStorage client = pair.clientStorage();
    SortedVectorStorage server = pair.serverStorage();
    long start = System.nanoTime();
    NegentropySession.Result result =
        NegentropySession.reconcileInMemory(client, server, frameLimit);
    long millis = (System.nanoTime() - start) / 1_000_000;
    NegentropySession.Stats stats = result.stats();
    System.out.printf(
        "negentropy 100k/1%% seed %d frame %d: %d ms (first run, cold JIT), %d rounds, "
            + "%d bytes up, %d bytes down, %d total; have %d need %d%n",
        seed,
        frameLimit,
        millis,
        stats.rounds(),
        stats.bytesClientToServer(),
        stats.bytesServerToClient(),
        stats.totalBytes(),
        stats.haveCount(),
        stats.needCount());
    String context = "seed " + seed;
    assertEquals(pair.have(), hexSet(result.have(), context), context);
    assertEquals(pair.need(), hexSet(result.need(), context), context);
  }

  /** Drives both sides, checking every message on the way, then the final differences. */
  private static void check(RandomSets.Pair pair, long frameLimit, long seed, String scenario) {
    String context = scenario + ", seed " + seed + ", frame limit " + frameLimit;
    SortedVectorStorage clientStorage = pair.clientStorage();
    SortedVectorStorage serverStorage = pair.serverStorage();
    Negentropy client = new Negentropy(clientStorage, frameLimit);
    Negentropy server = new Negentropy(serverStorage, frameLimit);
    List<byte[]> have = new ArrayList<>();
    List<byte[]> need = new ArrayList<>();
    byte[] query = client.initiate();
    int rounds = 0;
    while (true) {
      checkMessage(query, clientStorage, frameLimit, context + ", round " + rounds + " query");
      byte[] reply = server.reconcile(query);
      checkMessage(reply, serverStorage, frameLimit, context + ", round " + rounds + " reply");
      Optional<byte[]> next = client.reconcile(reply, have, need);
      if (next.isEmpty()) {
        break;
      }
      query = next.get();
      if (++rounds > MAX_ROUNDS) {
        fail("no convergence after " + MAX_ROUNDS + " rounds: " + context);
      }
    }
    assertEquals(pair.have(), hexSet(have, context), "have: " + context);
    assertEquals(pair.need(), hexSet(need, context), "need: " + context);
  }

  /**
   * A message must fit the frame, and each fingerprint and id list must cover exactly the sender's
   * items between its bounds: a mislabelled fingerprint could match the peer by accident.
   */
  private static void checkMessage(
      byte[] message, SortedVectorStorage sender, long frameLimit, String context) {
    if (frameLimit != 0) {
      assertTrue(
          message.length <= frameLimit, "message of " + message.length + " bytes: " + context);
    }
    int lower = 0;
    for (Range range : NegentropyMessage.decode(message).ranges()) {
      int upper = sender.lowerBound(lower, sender.size(), range.upperBound());
      if (range instanceof FingerprintRange fingerprint) {
        assertEquals(sender.fingerprint(lower, upper), fingerprint.fingerprint(), context);
      } else if (range instanceof IdListRange idList) {
        assertEquals(upper - lower, idList.count(), context);
        for (int i = 0; i < idList.count(); i++) {
          assertArrayEquals(sender.id(lower + i), idList.id(i), context);
        }
      }
      lower = upper;
    }
  }

  /**
   * Also checks that no id is reported twice, which a frame-limited peer provokes when its deferred
   * remainder spans ranges the client already settled (seen with few timestamps, 4096).
   */
  private static Set<String> hexSet(List<byte[]> ids, String context) {
    Set<String> set = new HashSet<>();
    for (byte[] id : ids) {
      assertTrue(set.add(Hex.encode(id)), "reported twice: " + context);
    }
    return set;
  }
}
