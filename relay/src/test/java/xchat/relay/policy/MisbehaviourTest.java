package xchat.relay.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import xchat.protocol.event.NostrEvent;
import xchat.protocol.filter.Filter;
import xchat.protocol.message.ClientMessage;
import xchat.protocol.message.OkPrefix;
import xchat.protocol.message.RelayMessage;
import xchat.relay.testing.RelayFixture;
import xchat.relay.testing.TestClient;

/** The test hooks: a relay that lies, refuses, hangs up or stalls, as clients must survive. */
class MisbehaviourTest {
  private RelayFixture fixture;

  private TestClient start(RelayBehaviour behaviour) {
    fixture = RelayFixture.start(0x5eed_0900L, config -> config.withBehaviour(behaviour));
    return fixture.client();
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  private NostrEvent note(String content) {
    return fixture.events.note(fixture.events.keys(), fixture.now(), content);
  }

  @Test
  void aLyingRelayAcknowledgesWithoutStoring() {
    TestClient client = start(Misbehaviour.honest().acknowledgingWithoutStoring());
    NostrEvent note = note("lost");
    client.expectOk(client.publish(note), true, "");
    assertEquals(List.of(), client.req("where", Filter.builder().ids(note.id()).build()));
    assertEquals(0, fixture.relay.store().count());
  }

  @Test
  void aRefusingRelayAnswersWithTheChosenPrefix() {
    TestClient client = start(Misbehaviour.honest().refusing(OkPrefix.AUTH_REQUIRED, "log in"));
    RelayMessage.Ok ok = client.publish(note("refused"));
    client.expectOk(ok, false, "auth-required:");
    assertEquals("auth-required: log in", ok.message());
  }

  @Test
  void invalidEventsAreStillRefusedAsInvalidByALiar() {
    TestClient client = start(Misbehaviour.honest().acknowledgingWithoutStoring());
    NostrEvent tooNew = fixture.events.note(fixture.events.keys(), fixture.now() + 3600, "future");
    client.expectOk(client.publish(tooNew), false, "invalid:");
  }

  @Test
  void theRelayHangsUpWhenTheChosenFrameArrives() {
    TestClient client = start(Misbehaviour.honest().droppingConnectionAfter(2));
    client.expectOk(client.publish(note("first")), true, "");
    client.send(new ClientMessage.Req("mid", List.of(Filter.ALL)));
    Integer code = client.closed().orTimeout(15, TimeUnit.SECONDS).join();
    assertTrue(code != null, "the connection closed");
    assertTrue(client.drainOrNone().stream().noneMatch(m -> m instanceof RelayMessage.Eose),
        "the REQ was never answered");
  }

  @Test
  void aSlowRelayHoldsEveryResponseBack() {
    Duration delay = Duration.ofMillis(300);
    TestClient client = start(Misbehaviour.honest().delayingResponses(delay));
    client.challenge();
    long started = System.nanoTime();
    client.expectOk(client.publish(note("slow")), true, "");
    long elapsed = System.nanoTime() - started;
    assertTrue(elapsed >= delay.toNanos(), "answered after " + elapsed / 1_000_000 + " ms");
  }
}
