package xchat.simulator.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import xchat.engine.api.Message;
import xchat.protocol.crypto.Secp256k1;
import xchat.protocol.keys.KeyPair;
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
}
