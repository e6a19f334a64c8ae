package xchat.simulator.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import xchat.engine.api.Message;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.event.Rumor;
import xchat.protocol.keys.KeyPair;
import xchat.protocol.nip17.ChatRumors;
import xchat.protocol.nip59.GiftWrap;
import xchat.simulator.world.Drbg;

/** The safety checks, fed by hand: each catches what it names, and nothing else. */
class CheckerTest {
  private static final Secp256k1 CURVE = Secp256k1.defaultBackend();
  private final Oracle oracle = new Oracle();
  private final List<KeyPair> accounts = List.of(KeyPair.generate(new Drbg(1), CURVE), KeyPair.generate(new Drbg(2), CURVE));
  private final Checker checker = new Checker(oracle, CURVE, accounts);
  private final String id = "ab".repeat(32);

  private Message message(String circle) {
    return new Message(id, circle, "cd".repeat(32), accounts.get(0).publicKey().hex(),
        List.of(accounts.get(1).publicKey().hex()), 1_704_067_200L, 14, "hello", OptionalLong.empty());
  }

  private void sent(String circle) {
    oracle.sent(new Oracle.Sent(id, circle, "", 0, "a0.d0", List.of(0, 1), 1_704_067_200L, OptionalLong.empty(), 0,
        true));
  }

  @Test
  void aMessageShownOnceInItsOwnCircleIsFine() {
    sent("c0");
    checker.onAdded(5, "a1.d0", message("c0"));
    assertEquals(List.of(), checker.violations());
  }

  @Test
  void aMessageShownTwiceIsADuplicate() {
    sent("c0");
    checker.onAdded(5, "a1.d0", message("c0"));
    checker.onAdded(6, "a1.d0", message("c0"));
    assertEquals(Guarantee.NO_DUPLICATES, checker.violations().get(0).guarantee());
  }

  @Test
  void aMessageInAnotherCircleMixesCircles() {
    sent("c0");
    checker.onAdded(5, "a1.d0", message("c1"));
    assertEquals(Guarantee.CIRCLES_NEVER_MIX, checker.violations().get(0).guarantee());
  }

  @Test
  void aDeletedMessageThatComesBackBreaksDeletionWins() {
    sent("c0");
    checker.onAdded(5, "a1.d0", message("c0"));
    checker.onDeleted(6, "a1.d0", id);
    checker.onAdded(7, "a1.d0", message("c0"));
    assertTrue(checker.violations().stream().anyMatch(v -> v.guarantee() == Guarantee.DELETION_WINS));
  }

  @Test
  void aMessageNoOneSentIsForeignToTheCircle() {
    checker.onAdded(5, "a1.d0", message("c0"));
    assertEquals(Guarantee.CIRCLES_NEVER_MIX, checker.violations().get(0).guarantee());
  }

  @Test
  void aMessageARelayHoldsButTheDeviceLacksBeforeTheFinalSyncIsALoss() {
    String relay = "ws://relays.sim:7001";
    Rumor rumor = ChatRumors.chat(accounts.get(0).publicKey(), List.of(accounts.get(1).publicKey()), "hi",
        1_704_067_200L, ChatRumors.Options.NONE);
    NostrEvent wrap = new GiftWrap(CURVE, new Drbg(3), () -> 1_704_067_200L)
        .sealAndWrap(rumor, accounts.get(0), accounts.get(1).publicKey(), List.of());
    oracle.sent(new Oracle.Sent(rumor.id().hex(), "c0", "", 0, "a0.d0", List.of(0, 1), 1_704_067_200L,
        OptionalLong.empty(), 0, true));
    Map<String, List<NostrEvent>> relays = Map.of(relay, List.of(wrap));

    checker.deliveredWithoutSync(10, List.of(device("a1.d0", 1, relay, List.of())), relays, 1_704_067_300L, 1);
    assertEquals(1, checker.violations().size(), checker.violations().toString());
    assertEquals(Guarantee.NO_LOSS, checker.violations().get(0).guarantee());
    assertTrue(checker.violations().get(0).detail().contains("before the final sync"));

    Message arrived = new Message(rumor.id().hex(), "c0", "cd".repeat(32), accounts.get(0).publicKey().hex(),
        List.of(accounts.get(1).publicKey().hex()), 1_704_067_200L, 14, "hi", OptionalLong.empty());
    checker.deliveredWithoutSync(11, List.of(device("a1.d1", 1, relay, List.of(arrived))), relays, 1_704_067_300L, 1);
    assertEquals(1, checker.violations().size(), "a device that holds it is fine: " + checker.violations());

    checker.deliveredWithoutSync(12, List.of(device("a1.d2", 1, "ws://elsewhere.sim:7009", List.of())), relays, 1_704_067_300L, 1);
    assertEquals(1, checker.violations().size(), "a relay outside the device's circle owes it nothing");
  }

  @Test
  void aMessageStillShownBeforeTheFinalSyncAfterARelayHeldItsDeletionBreaksDeletionWins() {
    String relay = "ws://relays.sim:7001";
    Rumor rumor = ChatRumors.chat(accounts.get(0).publicKey(), List.of(accounts.get(1).publicKey()), "hi",
        1_704_067_200L, ChatRumors.Options.NONE);
    Rumor deletion = ChatRumors.deletion(accounts.get(0).publicKey(), List.of(accounts.get(1).publicKey()),
        List.of(rumor.id()), 1_704_067_201L);
    GiftWrap wrapper = new GiftWrap(CURVE, new Drbg(4), () -> 1_704_067_201L);
    NostrEvent deletionWrap = wrapper.sealAndWrap(deletion, accounts.get(0), accounts.get(1).publicKey(), List.of());
    oracle.sent(new Oracle.Sent(rumor.id().hex(), "c0", "", 0, "a0.d0", List.of(0, 1), 1_704_067_200L,
        OptionalLong.empty(), 0, true));
    oracle.deleted(new Oracle.Deleted(rumor.id().hex(), "a0.d0", 5));
    Message shown = new Message(rumor.id().hex(), "c0", "cd".repeat(32), accounts.get(0).publicKey().hex(),
        List.of(accounts.get(1).publicKey().hex()), 1_704_067_200L, 14, "hi", OptionalLong.empty());

    checker.deliveredWithoutSync(10, List.of(device("a1.d0", 1, relay, List.of(shown))),
        Map.of(relay, List.of(deletionWrap)), 1_704_067_300L, 1);
    assertEquals(1, checker.violations().size(), checker.violations().toString());
    assertEquals(Guarantee.DELETION_WINS, checker.violations().get(0).guarantee());
    assertTrue(checker.violations().get(0).detail().endsWith("before the final sync"));

    checker.deliveredWithoutSync(11, List.of(device("a1.d1", 1, relay, List.of(shown))), Map.of(relay, List.of()),
        1_704_067_300L, 1);
    assertEquals(1, checker.violations().size(), "no relay holds the deletion for account 1 yet: "
        + checker.violations());
  }

  private static DeviceSnapshot device(String name, int account, String relay, List<Message> messages) {
    return new DeviceSnapshot(name, account, Map.of("c0", Map.of("conv", messages)), Map.of("c0", List.of(relay)),
        Map.of(), Map.of(), Path.of("unused"));
  }
}
