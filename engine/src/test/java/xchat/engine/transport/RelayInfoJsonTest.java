package xchat.engine.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RelayInfoJsonTest {

  @Test
  void readsTheLimitsTheEngineUses() throws Exception {
    RelayInfo info = RelayInfoJson.parse("""
        {"name":"r","supported_nips":[1,11,42,77],"software":"x",
         "limitation":{"max_message_length":16384,"max_subscriptions":20,"max_limit":500,
           "auth_required":true,"created_at_lower_limit":31536000,"payment_required":false},
         "fees":{"admission":[{"amount":1}]}}""");
    assertEquals(Set.of(1, 11, 42, 77), info.supportedNips());
    assertTrue(info.supports(77));
    assertEquals(OptionalInt.of(16384), info.maxMessageLength());
    assertEquals(OptionalInt.of(20), info.maxSubscriptions());
    assertEquals(OptionalInt.of(500), info.maxLimit());
    assertTrue(info.authRequired());
    assertEquals(OptionalLong.of(31536000), info.createdAtLowerLimit());
  }

  @Test
  void treatsFieldsOfTheWrongTypeAsAbsent() throws Exception {
    RelayInfo info = RelayInfoJson.parse("""
        {"supported_nips":[1,"eleven",{"x":1},77.5,2],
         "limitation":{"max_message_length":"big","max_subscriptions":-3,"auth_required":"yes",
           "created_at_lower_limit":[1]}}""");
    assertEquals(Set.of(1, 2), info.supportedNips());
    assertEquals(OptionalInt.empty(), info.maxMessageLength());
    assertEquals(OptionalInt.empty(), info.maxSubscriptions());
    assertFalse(info.authRequired());
    assertEquals(OptionalLong.empty(), info.createdAtLowerLimit());
  }

  @Test
  void refusesWhatIsNotAnObject() {
    assertThrows(RelayInfoParseException.class, () -> RelayInfoJson.parse("[1,2]"));
    assertThrows(RelayInfoParseException.class, () -> RelayInfoJson.parse("{\"a\":"));
    assertThrows(RelayInfoParseException.class,
        () -> RelayInfoJson.parse("{\"name\":\"" + "x".repeat(RelayInfoJson.MAX_DOCUMENT_BYTES) + "\"}"));
  }

  @Test
  void lowerLimitIsAnAgeOrAnAbsoluteTime() {
    RelayInfo age = new RelayInfo(Set.of(), OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(),
        false, OptionalLong.of(3600));
    assertEquals(OptionalLong.of(1_700_000_000L - 3600), age.oldestAcceptedAt(1_700_000_000L));
    RelayInfo absolute = new RelayInfo(Set.of(), OptionalInt.empty(), OptionalInt.empty(),
        OptionalInt.empty(), false, OptionalLong.of(1_600_000_000L));
    assertEquals(OptionalLong.of(1_600_000_000L), absolute.oldestAcceptedAt(1_700_000_000L));
    assertEquals(OptionalLong.empty(), RelayInfo.UNKNOWN.oldestAcceptedAt(1_700_000_000L));
  }
}
