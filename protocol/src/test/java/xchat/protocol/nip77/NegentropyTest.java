package xchat.protocol.nip77;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import xchat.protocol.hex.Hex;
import xchat.protocol.nip77.NegentropyException.Reason;
import xchat.protocol.nip77.NegentropyMessage.FingerprintRange;
import xchat.protocol.nip77.NegentropyMessage.Range;

class NegentropyTest {
  private static final Item A = new Item(1_678_011_277L, Hex.decode(FingerprintTest.ID_A));
  private static final Item B = new Item(1_678_011_278L, Hex.decode(FingerprintTest.ID_B));
  private static final Item C = new Item(1_678_011_279L, Hex.decode(FingerprintTest.ID_C));

  @Test
  void initialMessageOfAnEmptySetIsAnEmptyIdListToInfinity() {
    // version 61, bound (infinity 00, prefix length 00), mode IdList 02, count 00
    assertEquals("6100000200", Hex.encode(new Negentropy(SortedVectorStorage.empty()).initiate()));
  }

  @Test
  void initialMessageOfASmallSetListsEveryIdInOrder() {
    // Known answer from hoytech/negentropy kotlin NegentropyBasicTest.testInitiation.
    String expected =
        "6100000203" + FingerprintTest.ID_A + FingerprintTest.ID_B + FingerprintTest.ID_C;
    Negentropy client = new Negentropy(SortedVectorStorage.of(List.of(C, A, B)));
    assertEquals(expected, Hex.encode(client.initiate()));
  }

  @Test
  void initialMessageOf32ItemsIsSixteenFingerprintsOfTwoItemsEach() {
    List<Item> items = new ArrayList<>();
    Random random = new Random(0x5eed_0201L);
    for (int i = 0; i < 32; i++) {
      byte[] id = new byte[32];
      random.nextBytes(id);
      items.add(new Item(100 + i, id));
    }
    StringBuilder expected = new StringBuilder("61");
    for (int bucket = 0; bucket < 16; bucket++) {
      // Bucket boundaries fall between timestamps, so prefixes are empty. The first bound is
      // timestamp 102 (varint 103 = 0x67), each later one 2 more (delta + 1 = 0x03), the last
      // infinity.
      String timestamp = bucket == 15 ? "00" : bucket == 0 ? "67" : "03";
      byte[] fingerprint =
          ReferenceModel.fingerprint(
              List.of(items.get(2 * bucket).id(), items.get(2 * bucket + 1).id()));
      expected.append(timestamp).append("00").append("01").append(Hex.encode(fingerprint));
    }
    Negentropy client = new Negentropy(SortedVectorStorage.of(items));
    assertEquals(expected.toString(), Hex.encode(client.initiate()));
  }

  @Test
  void bucketBoundsBetweenEqualTimestampsUseTheShortestSeparatingPrefix() {
    long seed = 0x5eed_0202L;
    Random random = new Random(seed);
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      byte[] id = new byte[32];
      random.nextBytes(id);
      id[0] = 0x42; // force shared leading bytes
      items.add(new Item(7, id));
    }
    SortedVectorStorage storage = SortedVectorStorage.of(items);
    List<Range> ranges = NegentropyMessage.decode(new Negentropy(storage).initiate()).ranges();
    assertEquals(16, ranges.size());
    for (int bucket = 0; bucket < 15; bucket++) {
      Bound bound = ranges.get(bucket).upperBound();
      int next = storage.lowerBound(bound);
      byte[] before = storage.id(next - 1);
      byte[] at = storage.id(next);
      int shared = Arrays.mismatch(before, at);
      String context = "seed " + seed + " bucket " + bucket;
      assertEquals(shared + 1, bound.prefixLength(), context);
      assertArrayEquals(Arrays.copyOf(at, shared + 1), bound.idPrefix(), context);
      assertTrue(Bound.of(storage.item(next - 1)).compareTo(bound) < 0, context);
    }
    assertEquals(Bound.INFINITY, ranges.get(15).upperBound());
  }

  @Test
  void serverAnswersAnIdListWithItsOwnIdsAndTheClientLearnsBothDifferences() {
    Negentropy client = new Negentropy(SortedVectorStorage.of(List.of(A, C)));
    Negentropy server = new Negentropy(SortedVectorStorage.of(List.of(B, C)));
    byte[] reply = server.reconcile(client.initiate());
    assertEquals("6100000202" + FingerprintTest.ID_B + FingerprintTest.ID_C, Hex.encode(reply));
    List<byte[]> have = new ArrayList<>();
    List<byte[]> need = new ArrayList<>();
    assertEquals(Optional.empty(), client.reconcile(reply, have, need));
    assertEquals(List.of(FingerprintTest.ID_A), have.stream().map(Hex::encode).toList());
    assertEquals(List.of(FingerprintTest.ID_B), need.stream().map(Hex::encode).toList());
  }

  @Test
  void serverAnswersAnotherProtocolVersionWithTheVersionItSpeaks() {
    Negentropy server = new Negentropy(SortedVectorStorage.of(List.of(A, B, C)));
    // Known answer from hoytech/negentropy kotlin NegentropyBasicTest.testReconcileSimple.
    assertEquals("61", Hex.encode(server.reconcile(Hex.decode("62aabbccddeeff"))));
  }

  @Test
  void clientRefusesAServerThatOnlySpeaksAnotherVersion() {
    Negentropy client = new Negentropy(SortedVectorStorage.empty());
    client.initiate();
    NegentropyException e =
        assertThrows(
            NegentropyException.class,
            () -> client.reconcile(Hex.decode("62"), new ArrayList<>(), new ArrayList<>()));
    assertEquals(Reason.UNSUPPORTED_VERSION, e.reason());
  }

  @Test
  void serverRejectsHostileMessagesWithATypedReason() {
    Negentropy server = new Negentropy(SortedVectorStorage.of(List.of(A, B, C)));
    assertEquals(Reason.BAD_VERSION, rejection(() -> server.reconcile(Hex.decode("00"))));
    assertEquals(Reason.TRUNCATED, rejection(() -> server.reconcile(new byte[0])));
    assertEquals(Reason.BAD_MODE, rejection(() -> server.reconcile(Hex.decode("61000007"))));
  }

  @Test
  void serverNeverFailsUntypedOnRandomMessages() {
    long seed = 0x5eed_0203L;
    Random random = new Random(seed);
    Negentropy server =
        new Negentropy(RandomSets.generate(seed, 500, 0, 0, 50).clientStorage(), 4096);
    for (int trial = 0; trial < 5_000; trial++) {
      byte[] message = NegentropyMessageTest.randomMessage(random).encode();
      if (random.nextBoolean() && message.length > 1) {
        message[1 + random.nextInt(message.length - 1)] ^= (byte) (1 << random.nextInt(8));
      }
      byte[] input = message;
      try {
        byte[] reply = server.reconcile(input);
        assertTrue(reply.length <= 4096, "seed " + seed + " trial " + trial);
        assertDoesNotThrow(() -> NegentropyMessage.decode(reply), "seed " + seed);
      } catch (NegentropyException expected) {
        // typed refusal
      }
    }
  }

  @Test
  void identicalSetsFinishAfterOneRound() {
    SortedVectorStorage storage =
        RandomSets.generate(0x5eed_0204L, 5_000, 0, 0, 5_000).clientStorage();
    Negentropy client = new Negentropy(storage);
    Negentropy server = new Negentropy(storage);
    byte[] reply = server.reconcile(client.initiate());
    assertEquals("61", Hex.encode(reply)); // every fingerprint matched: one coalesced implicit skip
    assertEquals(Optional.empty(), client.reconcile(reply, new ArrayList<>(), new ArrayList<>()));
  }

  @Test
  void rolesAreEnforced() {
    Negentropy client = new Negentropy(SortedVectorStorage.empty());
    byte[] first = client.initiate();
    assertTrue(client.isInitiator());
    assertThrows(IllegalStateException.class, client::initiate);
    assertThrows(IllegalStateException.class, () -> client.reconcile(first));
    Negentropy server = new Negentropy(SortedVectorStorage.empty());
    assertThrows(
        IllegalStateException.class,
        () -> server.reconcile(first, new ArrayList<>(), new ArrayList<>()));
  }

  @Test
  void frameSizeLimitIsZeroOrAtLeast4096() {
    assertThrows(
        IllegalArgumentException.class, () -> new Negentropy(SortedVectorStorage.empty(), 4095));
    assertThrows(
        IllegalArgumentException.class, () -> new Negentropy(SortedVectorStorage.empty(), -1));
    assertDoesNotThrow(() -> new Negentropy(SortedVectorStorage.empty(), 0));
    assertDoesNotThrow(() -> new Negentropy(SortedVectorStorage.empty(), 4096));
  }

  @Test
  void overLimitReplyEndsWithAFingerprintOfExactlyWhatItDefers() {
    long seed = 0x5eed_0205L;
    RandomSets.Pair pair = RandomSets.generate(seed, 20_000, 0.5, 0.5, 20_000);
    SortedVectorStorage server = pair.serverStorage();
    Negentropy client = new Negentropy(pair.clientStorage(), 4096);
    byte[] reply = new Negentropy(server, 4096).reconcile(client.initiate());
    assertTrue(reply.length <= 4096, "seed " + seed);
    List<Range> ranges = NegentropyMessage.decode(reply).ranges();
    Range last = ranges.get(ranges.size() - 1);
    Bound from = ranges.get(ranges.size() - 2).upperBound();
    assertEquals(Bound.INFINITY, last.upperBound(), "seed " + seed);
    assertEquals(
        server.fingerprint(server.lowerBound(from), server.size()),
        ((FingerprintRange) last).fingerprint(),
        "seed " + seed);
  }

  private static Reason rejection(Runnable action) {
    return assertThrows(NegentropyException.class, action::run).reason();
  }
}
