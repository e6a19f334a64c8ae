package xchat.engine.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DeviceStateTest {
  static final List<String> RELAYS = List.of("wss://a.example", "wss://b.example", "wss://c.example");

  static DeviceState.Stamp at(long millis, String device) {
    return new DeviceState.Stamp(millis, device);
  }

  @Test
  void concurrentCircleEditsOnTwoDevicesBothSurvive() {
    DeviceState laptop = DeviceState.EMPTY.editCircle("family", true, List.of(RELAYS.get(0)), List.of(), at(10, "laptop"));
    DeviceState phone = DeviceState.EMPTY.editCircle("work", true, List.of(RELAYS.get(1)), List.of(), at(11, "phone"));
    DeviceState merged = laptop.merge(phone);
    assertEquals(List.of("family", "work"), List.copyOf(merged.presentCircles().keySet()));
    assertEquals(merged, phone.merge(laptop));
  }

  @Test
  void aDeviceJoiningACircleAddsRelaysWithoutRemovingOthers() {
    DeviceState laptop = DeviceState.EMPTY.editCircle("family", true, RELAYS.subList(0, 2), List.of(), at(10, "laptop"));
    DeviceState phone = DeviceState.EMPTY.editCircle("family", true, List.of(RELAYS.get(0)), List.of(), at(20, "phone"));
    assertEquals(RELAYS.subList(0, 2), laptop.merge(phone).circles().get("family").relayList());
  }

  @Test
  void anExplicitRelayRemovalWinsOverTheEarlierAdd() {
    DeviceState laptop = DeviceState.EMPTY.editCircle("family", true, RELAYS.subList(0, 2), List.of(), at(10, "laptop"));
    DeviceState phone = laptop.editCircle("family", true, List.of(RELAYS.get(1)), List.of(), at(20, "phone"));
    assertEquals(List.of(RELAYS.get(1)), laptop.merge(phone).circles().get("family").relayList());
  }

  @Test
  void aRemovedCircleStaysRemovedUntilReAddedLater() {
    DeviceState created = DeviceState.EMPTY.editCircle("family", true, RELAYS, List.of(), at(10, "laptop"));
    DeviceState removed = created.editCircle("family", false, RELAYS, List.of(), at(20, "phone"));
    assertFalse(created.merge(removed).circles().get("family").present());
    DeviceState readded = removed.editCircle("family", true, RELAYS, List.of(), at(30, "laptop"));
    assertTrue(removed.merge(readded).circles().get("family").present());
  }

  @Test
  void readMarkersOnlyMoveForward() {
    DeviceState a = DeviceState.EMPTY.withRead("family:c1", new DeviceState.ReadEntry(100, "b".repeat(64)));
    DeviceState b = DeviceState.EMPTY.withRead("family:c1", new DeviceState.ReadEntry(90, "f".repeat(64)));
    assertEquals(100, a.merge(b).reads().get("family:c1").createdAt());
    assertEquals(100, b.merge(a).reads().get("family:c1").createdAt());
  }

  @Test
  void mergeIsCommutativeAssociativeAndIdempotentOnRandomStates() {
    long seed = new Random().nextLong();
    SplittableRandom random = new SplittableRandom(seed);
    for (int round = 0; round < 200; round++) {
      DeviceState a = randomState(random);
      DeviceState b = randomState(random);
      DeviceState c = randomState(random);
      assertEquals(a.merge(b), b.merge(a), "commutative, seed " + seed);
      assertEquals(a.merge(b).merge(c), a.merge(b.merge(c)), "associative, seed " + seed);
      assertEquals(a.merge(a), a, "idempotent, seed " + seed);
      assertEquals(a.merge(b).merge(b), a.merge(b), "idempotent, seed " + seed);
    }
  }

  @Test
  void jsonRoundTripsRandomStates() throws Exception {
    long seed = new Random().nextLong();
    SplittableRandom random = new SplittableRandom(seed);
    for (int round = 0; round < 100; round++) {
      DeviceState state = randomState(random);
      assertEquals(state, DeviceState.fromJson(state.toJson()), "seed " + seed);
    }
  }

  @Test
  void refusesADocumentOfAnotherShape() {
    assertThrows(DeviceState.FormatException.class,
        () -> DeviceState.fromJson("[1,2]".getBytes(StandardCharsets.UTF_8)));
    assertThrows(DeviceState.FormatException.class,
        () -> DeviceState.fromJson("{\"v\":2}".getBytes(StandardCharsets.UTF_8)));
    assertThrows(DeviceState.FormatException.class,
        () -> DeviceState.fromJson("{\"circles\":{\"x\":{\"p\":[\"1\"]}}}".getBytes(StandardCharsets.UTF_8)));
  }

  static DeviceState randomState(SplittableRandom random) {
    DeviceState state = DeviceState.EMPTY;
    String[] devices = {"d1", "d2", "d3"};
    for (int i = 0; i < random.nextInt(6); i++) {
      List<String> relays = new ArrayList<>();
      for (String relay : RELAYS) {
        if (random.nextBoolean()) {
          relays.add(relay);
        }
      }
      state = state.editCircle("c" + random.nextInt(3), random.nextInt(4) > 0, relays, List.of(),
          at(random.nextInt(50), devices[random.nextInt(3)]));
    }
    for (int i = 0; i < random.nextInt(4); i++) {
      state = state.withRead("c1:conv" + random.nextInt(3),
          new DeviceState.ReadEntry(random.nextInt(100), Integer.toHexString(random.nextInt(16)).repeat(64)));
    }
    for (int i = 0; i < random.nextInt(4); i++) {
      state = state.withMute("c1:conv" + random.nextInt(3),
          new DeviceState.MuteEntry(random.nextBoolean(), at(random.nextInt(50), devices[random.nextInt(3)])));
    }
    for (int i = 0; i < random.nextInt(3); i++) {
      state = state.withDevice(devices[random.nextInt(3)], new DeviceState.DeviceEntry(
          "label" + random.nextInt(2), random.nextInt(100), random.nextBoolean() ? List.of("x") : List.of()));
    }
    return state;
  }
}
